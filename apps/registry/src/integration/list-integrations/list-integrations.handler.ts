import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RegistryRuntime } from '../../registry.runtime';
import { gridItemJson } from '../integration.view';
import { type IntegrationListJson, ListIntegrationsQuery } from './list-integrations.query';

@QueryHandler(ListIntegrationsQuery)
export class ListIntegrationsHandler implements IQueryHandler<ListIntegrationsQuery> {
  constructor(private readonly runtime: RegistryRuntime) {}

  async execute(query: ListIntegrationsQuery): Promise<{ body: IntegrationListJson; caughtUp: boolean }> {
    const { grid, readYourWrites } = this.runtime;
    const mark = query.minVersion ?? readYourWrites.lastWriteOf(query.actor);
    const caughtUp = mark
      ? await readYourWrites.waitUntil(async () => (await grid.versionOf(mark.id)) >= mark.version)
      : true;
    if (!caughtUp)
      this.runtime.logger.warn(
        { integrationId: mark?.id, version: mark?.version },
        'grid did not catch up within the read-your-writes timeout',
      );
    const page = await grid.list(query.grid);
    return { body: { ...page, items: page.items.map(gridItemJson) }, caughtUp };
  }
}
