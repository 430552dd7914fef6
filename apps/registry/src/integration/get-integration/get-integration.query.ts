import { Query } from '@nestjs/cqrs';
import type { IntegrationJson } from '../integration.view';

export class GetIntegrationQuery extends Query<{ body: IntegrationJson; caughtUp: boolean }> {
  constructor(
    readonly integrationId: string,
    /** The version the caller wrote last (read-your-writes); absent: whatever is stored. */
    readonly minVersion: number | undefined,
  ) {
    super();
  }
}
