import type { IntegrationAccess } from '@integrations/contracts';
import { Query } from '@nestjs/cqrs';

export class GetIntegrationAccessQuery extends Query<IntegrationAccess> {
  constructor(readonly integrationId: string) {
    super();
  }
}
