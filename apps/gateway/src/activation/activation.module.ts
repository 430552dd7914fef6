import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ActivateIntegration, OauthAdminClient } from './activate-integration';
import { ActivationController } from './activation.controller';
import { PublicBaseUrl } from './public-base-url';
import { IntegrationDetailsController } from '../integration-details/integration-details.controller';
import { RotateConsumerSecretController } from '../integration-details/rotate-consumer-secret.controller';

const OAUTH_TIMEOUT_MS = 5_000;

/**
 * Activate / Reauthorize: oauth service (credentials) + registry (status); Integration Details (the
 * same oauth client). Exports the public base URL.
 */
@Module({
  imports: [AdminAuthModule, IntegrationsModule],
  controllers: [ActivationController, IntegrationDetailsController, RotateConsumerSecretController],
  providers: [
    ActivateIntegration,
    PublicBaseUrl,
    {
      provide: OauthAdminClient,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER],
      useFactory: (config: GatewayEnv, logger: Logger) =>
        new OauthAdminClient('the oauth service', config.oauthUrl, OAUTH_TIMEOUT_MS, logger),
    },
  ],
  exports: [PublicBaseUrl],
})
export class ActivationModule {}
