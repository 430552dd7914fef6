import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { integrationNotFound } from '../integration-errors';
import { historyEntryJson } from '../integration.view';
import { IntegrationHistoryQuery, type IntegrationHistoryJson } from './integration-history.query';

/**
 * History stays readable after a delete (it is the audit trail). The stream's version says how far
 * the projection must be, so every read waits (bounded) for the latest event: read-your-writes
 * without the client passing anything.
 */
@QueryHandler(IntegrationHistoryQuery)
export class IntegrationHistoryHandler implements IQueryHandler<IntegrationHistoryQuery> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(query: IntegrationHistoryQuery): Promise<IntegrationHistoryJson> {
    const { store, history, readYourWrites, logger } = this.runtime;
    const id = query.integrationId;
    const version = await store.streamVersion(id);
    if (version === 0) throw integrationNotFound();
    const caughtUp = await readYourWrites.waitUntil(async () => (await history.versionOf(id)) >= version);
    if (!caughtUp)
      logger.warn({ integrationId: id, version }, 'history did not catch up within the read-your-writes timeout');
    const page = await history.list(id, query.page, query.pageSize);
    return { integrationId: id, ...page, items: page.items.map(historyEntryJson) };
  }
}
