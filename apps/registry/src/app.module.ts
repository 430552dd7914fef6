import { Injectable, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController, READINESS_CHECKS } from '@integrations/service-kit';
import { CreateIntegrationController } from './integration/create-integration/create-integration.controller';
import { CreateIntegrationHandler } from './integration/create-integration/create-integration.handler';
import { DeleteIntegrationController } from './integration/delete-integration/delete-integration.controller';
import { DeleteIntegrationHandler } from './integration/delete-integration/delete-integration.handler';
import { GetIntegrationController } from './integration/get-integration/get-integration.controller';
import { GetIntegrationHandler } from './integration/get-integration/get-integration.handler';
import { IntegrationHistoryController } from './integration/integration-history/integration-history.controller';
import { IntegrationHistoryHandler } from './integration/integration-history/integration-history.handler';
import { ListIntegrationsController } from './integration/list-integrations/list-integrations.controller';
import { ListIntegrationsHandler } from './integration/list-integrations/list-integrations.handler';
import { UpdateIntegrationController } from './integration/update-integration/update-integration.controller';
import { UpdateIntegrationHandler } from './integration/update-integration/update-integration.handler';
import { StartActivationController } from './integration/start-activation/start-activation.controller';
import { StartActivationHandler } from './integration/start-activation/start-activation.handler';
import { ResetIntegrationHandler } from './integration/reset-integration/reset-integration.handler';
import { RegistryRuntime } from './registry.runtime';

/** Nest's shutdown hook (SIGTERM, app.close()) stops the relay and consumers and closes Mongo. */
@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(private readonly runtime: RegistryRuntime) {}
  onApplicationShutdown(): Promise<void> {
    return this.runtime.close();
  }
}

/**
 * The registry's Nest module around an already started runtime (built first so that boot failures
 * name their cause before any HTTP port opens).
 */
export function registryAppModule(runtime: RegistryRuntime): Type<unknown> {
  @Module({
    imports: [CqrsModule.forRoot()],
    controllers: [
      HealthController,
      // Specific routes before `:id` ones is not needed (different methods/depths), kept readable anyway.
      ListIntegrationsController,
      CreateIntegrationController,
      IntegrationHistoryController,
      GetIntegrationController,
      UpdateIntegrationController,
      DeleteIntegrationController,
      StartActivationController,
    ],
    providers: [
      { provide: RegistryRuntime, useValue: runtime },
      { provide: READINESS_CHECKS, useValue: runtime.readinessChecks() },
      RuntimeShutdown,
      CreateIntegrationHandler,
      UpdateIntegrationHandler,
      DeleteIntegrationHandler,
      GetIntegrationHandler,
      ListIntegrationsHandler,
      IntegrationHistoryHandler,
      StartActivationHandler,
      // No route: the integrations manifest issues it at boot (integration/manifest/).
      ResetIntegrationHandler,
    ],
  })
  class RegistryAppModule {}
  return RegistryAppModule;
}
