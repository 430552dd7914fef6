import { Query } from '@nestjs/cqrs';
import type { IntegrationJson } from '../integration.view';

export class GetIntegrationQuery extends Query<IntegrationJson> {
  constructor(readonly integrationId: string) {
    super();
  }
}
