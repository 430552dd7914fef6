import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../gateway.tokens';
import { AdminIntegrationsController } from './admin-integrations.controller';
import { RegistryClient } from './registry.client';

/** The admin integrations API, proxied to the registry. Exports the client for readiness checks. */
@Module({
  imports: [AdminAuthModule],
  controllers: [AdminIntegrationsController],
  providers: [
    {
      provide: RegistryClient,
      inject: [GATEWAY_CONFIG, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new RegistryClient(config.registryUrl, config.registryTimeoutMs, logger),
    },
  ],
  exports: [RegistryClient],
})
export class IntegrationsModule {}
