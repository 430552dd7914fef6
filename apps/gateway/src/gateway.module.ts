import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { AclResourcesModule } from './acl-resources/acl-resources.module';
import { AdminAccountsModule } from './admin-accounts/admin-accounts.module';
import { ActivationModule } from './activation/activation.module';
import { AdminAuthModule } from './admin-auth/admin-auth.module';
import { AdminUiModule } from './admin-ui/admin-ui.module';
import type { GatewayEnv } from './gateway.env';
import { GatewayDatabaseModule } from './gateway-database.module';
import { CLOCK, type Clock, GATEWAY_ENV, GATEWAY_LOGGER } from './gateway.tokens';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { OauthTokenModule } from './oauth/oauth-token.module';
import { OpenApiModule } from './openapi/openapi.module';
import { ProtectedApiModule } from './protected-api/protected-api.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SettingsModule } from './settings/settings.module';
import { UsageModule } from './usage/usage.module';

@Global()
@Module({})
class GatewayCoreModule {
  static with(config: GatewayEnv, logger: Logger, clock: Clock): DynamicModule {
    const providers = [
      { provide: GATEWAY_ENV, useValue: config },
      { provide: GATEWAY_LOGGER, useValue: logger },
      { provide: CLOCK, useValue: clock },
    ];
    return { module: GatewayCoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}

/** The gateway: one public HTTP entry. Each capability is a module (oauth/ and protected-api/ come later). */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv, logger: Logger, clock: Clock = () => new Date()): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        GatewayCoreModule.with(config, logger, clock),
        GatewayDatabaseModule,
        RateLimitModule,
        AdminAuthModule,
        AdminAccountsModule,
        IntegrationsModule,
        ActivationModule,
        AclResourcesModule,
        SettingsModule,
        UsageModule,
        ProtectedApiModule,
        OauthTokenModule,
        OpenApiModule,
        HealthModule,
        AdminUiModule.forRoot(),
      ],
    };
  }
}
