import { Query } from '@nestjs/cqrs';
import type { HistoryEntryJson } from '../integration.view';

export interface IntegrationHistoryJson {
  integrationId: string;
  items: HistoryEntryJson[];
  total: number;
  page: number;
  pageSize: number;
}

export class IntegrationHistoryQuery extends Query<IntegrationHistoryJson> {
  constructor(
    readonly integrationId: string,
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}
