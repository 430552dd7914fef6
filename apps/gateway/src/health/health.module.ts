import { Module } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from '@integrations/service-kit';
import type { Connection } from 'mongoose';
import { GATEWAY_DB } from '../gateway.tokens';
import { IntegrationsModule } from '../integrations/integrations.module';
import { RegistryClient } from '../integrations/registry.client';

/**
 * `/health/live` and `/health/ready`: our database answers a ping (critical), the registry answers
 * (not critical: the signed path never asks it, so a registry outage must not take every gateway
 * out of rotation; admin requests meanwhile get 503 UPSTREAM.UNAVAILABLE, saying so).
 */
@Module({
  imports: [IntegrationsModule],
  controllers: [HealthController],
  providers: [
    {
      provide: READINESS_CHECKS,
      inject: [GATEWAY_DB, RegistryClient],
      useFactory: (db: Connection, registry: RegistryClient): ReadinessCheck[] => [
        {
          name: 'mongo',
          check: async () => {
            if (db.readyState !== 1 || !db.db) return false;
            await db.db.admin().command({ ping: 1 });
            return true;
          },
        },
        { name: 'registry', critical: false, check: () => registry.isReachable() },
      ],
    },
  ],
})
export class HealthModule {}
