import type { Logger } from '@integrations/service-kit';
import { type BeforeApplicationShutdown, Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { GatewayEnv } from '../gateway.env';
import { CLOCK, type Clock, GATEWAY_DB, GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { IntegrationsModule } from '../integrations/integrations.module';
import { CallUsage } from './call-usage';
import { IntegrationUsageController } from './integration-usage.controller';
import { USAGE_DAYS_COLLECTION, type UsageDayDocument, UsageDaysStore } from './usage-days.store';

/**
 * Usage you can see: the hot path counts (CallUsage, exported for the protected API's checks), the
 * admin API reads (`GET /admin/v1/integrations/{id}/usage`).
 */
@Module({
  imports: [IntegrationsModule],
  controllers: [IntegrationUsageController],
  providers: [
    {
      provide: UsageDaysStore,
      inject: [GATEWAY_DB],
      useFactory: (db: Connection) => new UsageDaysStore(db.collection<UsageDayDocument>(USAGE_DAYS_COLLECTION)),
    },
    {
      provide: CallUsage,
      inject: [UsageDaysStore, GATEWAY_LOGGER, CLOCK],
      useFactory: (store: UsageDaysStore, logger: Logger, clock: Clock) =>
        new CallUsage(store, logger, () => clock().getTime()),
    },
  ],
  exports: [CallUsage],
})
export class UsageModule implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    @Inject(GATEWAY_ENV) private readonly config: GatewayEnv,
    private readonly store: UsageDaysStore,
    private readonly usage: CallUsage,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ensureIndexes();
    this.usage.start(this.config.usageFlushMs);
  }

  // Before the database module closes its connection (an onApplicationShutdown hook).
  async beforeApplicationShutdown(): Promise<void> {
    await this.usage.stop();
  }
}
