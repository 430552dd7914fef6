import { Query } from '@nestjs/cqrs';
import type { GridQuery } from '../integration-grid.projection';
import type { GridItemJson } from '../integration.view';
import type { WriteMark } from '../read-your-writes';

export interface IntegrationListJson {
  items: GridItemJson[];
  total: number;
  page: number;
  pageSize: number;
}

export class ListIntegrationsQuery extends Query<{ body: IntegrationListJson; caughtUp: boolean }> {
  constructor(
    readonly grid: GridQuery,
    /** Wait for this write to be projected (`minVersionId` + `minVersion`); absent: answer at once. */
    readonly minVersion: WriteMark | undefined,
  ) {
    super();
  }
}
