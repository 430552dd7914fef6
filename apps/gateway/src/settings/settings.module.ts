import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { InternalServiceClient } from './internal-service.client';
import { SettingsController } from './settings.controller';
import { CONFIG_CLIENT } from './settings.tokens';

const CONFIG_TIMEOUT_MS = 5_000;

/** `/admin/v1/config`, proxied to the config service. */
@Module({
  imports: [AdminAuthModule],
  controllers: [SettingsController],
  providers: [
    {
      provide: CONFIG_CLIENT,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER],
      useFactory: (config: GatewayEnv, logger: Logger) =>
        new InternalServiceClient('the config service', config.configUrl, CONFIG_TIMEOUT_MS, logger),
    },
  ],
})
export class SettingsModule {}
