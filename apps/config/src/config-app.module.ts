import { OutboxRelay } from '@integrations/event-store';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from '@integrations/service-kit';
import { Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangeSettingsController } from './settings/change-settings/change-settings.controller';
import { ChangeSettingsHandler } from './settings/change-settings/change-settings.handler';
import { GetSettingsController } from './settings/get-settings/get-settings.controller';
import { GetSettingsHandler } from './settings/get-settings/get-settings.handler';
import { SettingsRepository } from './settings/settings.repository';

export interface ConfigAppDeps {
  repository: SettingsRepository;
  relay: OutboxRelay;
  readiness: ReadinessCheck[];
  /** Releases what start.ts opened (relay, Kafka, Mongo), after the HTTP server stopped. */
  onShutdown: () => Promise<void>;
}

/**
 * The Nest module, built around connections opened before Nest starts (so a bad MONGO_URL or an
 * unreachable Kafka fails the boot with a clear error instead of a half-started app).
 */
export function configAppModule(deps: ConfigAppDeps): Type<unknown> {
  @Module({
    imports: [CqrsModule.forRoot()],
    controllers: [HealthController, GetSettingsController, ChangeSettingsController],
    providers: [
      { provide: SettingsRepository, useValue: deps.repository },
      { provide: OutboxRelay, useValue: deps.relay },
      { provide: READINESS_CHECKS, useValue: deps.readiness },
      GetSettingsHandler,
      ChangeSettingsHandler,
    ],
  })
  class ConfigAppModule implements OnApplicationShutdown {
    async onApplicationShutdown(): Promise<void> {
      await deps.onShutdown();
    }
  }
  return ConfigAppModule;
}
