import type { Logger } from '@integrations/service-kit';
import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { IntegrationGridProjection } from '../integration-grid.projection';
import { gridItemJson } from '../integration.view';
import { ReadYourWrites } from '../read-your-writes';
import { REGISTRY_LOGGER } from '../../registry.tokens';
import { type IntegrationListJson, ListIntegrationsQuery } from './list-integrations.query';

@QueryHandler(ListIntegrationsQuery)
export class ListIntegrationsHandler implements IQueryHandler<ListIntegrationsQuery> {
  constructor(
    private readonly grid: IntegrationGridProjection,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(REGISTRY_LOGGER) private readonly logger: Logger,
  ) {}

  async execute({
    grid,
    minVersion: mark,
  }: ListIntegrationsQuery): Promise<{ body: IntegrationListJson; caughtUp: boolean }> {
    const caughtUp = mark
      ? await this.readYourWrites.waitUntil(async () => (await this.grid.versionOf(mark.id)) >= mark.version)
      : true;
    if (!caughtUp)
      this.logger.warn(
        { integrationId: mark?.id, version: mark?.version },
        'grid did not catch up within the read-your-writes timeout',
      );
    const now = new Date();
    const page = await this.grid.list(grid, now);
    return { body: { ...page, items: page.items.map((row) => gridItemJson(row, now)) }, caughtUp };
  }
}
