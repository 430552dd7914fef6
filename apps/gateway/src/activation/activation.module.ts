import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../gateway.tokens';
import { IntegrationsModule } from '../integrations/integrations.module';
import { InternalServiceClient } from '../settings/internal-service.client';
import { ActivateIntegration } from './activate-integration';
import { ActivationController } from './activation.controller';
import { OAUTH_ADMIN_CLIENT } from './activation.tokens';
import { PublicBaseUrl } from './public-base-url';

const OAUTH_TIMEOUT_MS = 5_000;

/** Activate / Reauthorize: oauth service (credentials) + registry (status). Exports the public base URL. */
@Module({
  imports: [AdminAuthModule, IntegrationsModule],
  controllers: [ActivationController],
  providers: [
    ActivateIntegration,
    PublicBaseUrl,
    {
      provide: OAUTH_ADMIN_CLIENT,
      inject: [GATEWAY_CONFIG, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new InternalServiceClient('the oauth service', config.oauthUrl, OAUTH_TIMEOUT_MS, logger),
    },
  ],
  exports: [PublicBaseUrl],
})
export class ActivationModule {}
