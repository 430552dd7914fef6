import type { IntegrationHistoryPage } from '@integrations/contracts';
import { Query } from '@nestjs/cqrs';

/** `GET /integrations/{id}/history` reply (libs/contracts). */
export type IntegrationHistoryJson = IntegrationHistoryPage;

export class IntegrationHistoryQuery extends Query<IntegrationHistoryJson> {
  constructor(
    readonly integrationId: string,
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}
