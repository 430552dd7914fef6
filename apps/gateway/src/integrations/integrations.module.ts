import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { AdminIntegrationsController } from './admin-integrations.controller';
import { RegistryClient } from './registry.client';

/** The admin integrations API, proxied to the registry. Exports the client for readiness checks. */
@Module({
  imports: [AdminAuthModule],
  controllers: [AdminIntegrationsController],
  providers: [
    {
      provide: RegistryClient,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER],
      useFactory: (config: GatewayEnv, logger: Logger) =>
        new RegistryClient(config.registryUrl, config.registryTimeoutMs, logger),
    },
  ],
  exports: [RegistryClient],
})
export class IntegrationsModule {}
