import type { IntegrationListPage } from '@integrations/contracts';
import { Query } from '@nestjs/cqrs';
import type { GridQuery } from '../integration-grid.projection';
import type { WriteMark } from '../read-your-writes';

/** `GET /integrations` reply (libs/contracts). */
export type IntegrationListJson = IntegrationListPage;

export class ListIntegrationsQuery extends Query<{ body: IntegrationListJson; caughtUp: boolean }> {
  constructor(
    readonly grid: GridQuery,
    /** Wait for this write to be projected (`minVersionId` + `minVersion`); absent: answer at once. */
    readonly minVersion: WriteMark | undefined,
  ) {
    super();
  }
}
