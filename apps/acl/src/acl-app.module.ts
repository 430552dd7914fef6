import { HealthController, READINESS_CHECKS, type ReadinessCheck } from '@integrations/service-kit';
import { Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { AclCatalog } from './catalog/acl-catalog';
import { ResourcesController } from './catalog/resources.controller';
import { DecisionService } from './decisions/decision.service';
import { DecisionsController } from './decisions/decisions.controller';
import { GrantsController } from './grants/grants.controller';
import { GrantsProjection } from './grants/grants.projection';

export interface AclAppDeps {
  catalog: AclCatalog;
  projection: GrantsProjection;
  decisions: DecisionService;
  readiness: ReadinessCheck[];
  /** Releases what start.ts opened (subscriptions, Kafka, Mongo), after the HTTP server stopped. */
  onShutdown: () => Promise<void>;
}

/**
 * The Nest module, built around what start.ts opened and validated before Nest starts (a bad
 * catalog, route map, MONGO_URL or Kafka fails the boot with a clear error, not a half-started app).
 */
export function aclAppModule(deps: AclAppDeps): Type<unknown> {
  @Module({
    controllers: [HealthController, ResourcesController, DecisionsController, GrantsController],
    providers: [
      { provide: AclCatalog, useValue: deps.catalog },
      { provide: GrantsProjection, useValue: deps.projection },
      { provide: DecisionService, useValue: deps.decisions },
      { provide: READINESS_CHECKS, useValue: deps.readiness },
    ],
  })
  class AclAppModule implements OnApplicationShutdown {
    async onApplicationShutdown(): Promise<void> {
      await deps.onShutdown();
    }
  }
  return AclAppModule;
}
