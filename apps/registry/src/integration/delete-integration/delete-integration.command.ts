import type { IntegrationDeletedReply } from '@integrations/contracts';
import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../integration.decider';
import type { CommandMeta } from '../integration.repository';

/** `DELETE /integrations/{id}` reply (libs/contracts). */
export type IntegrationDeletedJson = IntegrationDeletedReply;

export class DeleteIntegrationCommand extends Command<IntegrationDeletedJson> {
  constructor(
    readonly integrationId: string,
    readonly expectedVersion: number | undefined,
    readonly origin: CommandOrigin,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
