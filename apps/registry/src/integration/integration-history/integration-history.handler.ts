import { EventStore } from '@integrations/event-store';
import type { Logger } from '@integrations/service-kit';
import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { REGISTRY_LOGGER } from '../../registry.tokens';
import { IntegrationHistoryProjection } from '../integration-history.projection';
import { integrationNotFound } from '../integration.errors';
import { historyEntryJson } from '../integration.view';
import { ReadYourWrites } from '../read-your-writes';
import { IntegrationHistoryQuery, type IntegrationHistoryJson } from './integration-history.query';

/**
 * History stays readable after a delete (it is the audit trail). The stream's version says how far
 * the projection must be, so every read waits (bounded) for the latest event: read-your-writes
 * without the client passing anything.
 */
@QueryHandler(IntegrationHistoryQuery)
export class IntegrationHistoryHandler implements IQueryHandler<IntegrationHistoryQuery> {
  constructor(
    private readonly store: EventStore,
    private readonly history: IntegrationHistoryProjection,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(REGISTRY_LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ integrationId: id, page, pageSize }: IntegrationHistoryQuery): Promise<IntegrationHistoryJson> {
    const version = await this.store.streamVersion(id);
    if (version === 0) throw integrationNotFound();
    const caughtUp = await this.readYourWrites.waitUntil(async () => (await this.history.versionOf(id)) >= version);
    if (!caughtUp)
      this.logger.warn({ integrationId: id, version }, 'history did not catch up within the read-your-writes timeout');
    const entries = await this.history.list(id, page, pageSize);
    return { integrationId: id, ...entries, items: entries.items.map(historyEntryJson) };
  }
}
