import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../integration.decider';
import type { IntegrationFields } from '../integration-fields';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

export class UpdateIntegrationCommand extends Command<IntegrationJson> {
  constructor(
    readonly integrationId: string,
    readonly fields: IntegrationFields,
    /** Absent: the version loaded by the handler (last writer wins only against nothing in flight). */
    readonly expectedVersion: number | undefined,
    readonly origin: CommandOrigin,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
