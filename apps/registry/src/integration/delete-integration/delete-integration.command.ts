import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../integration.decider';
import type { CommandMeta } from '../integration.repository';

export interface IntegrationDeletedJson {
  id: string;
  deleted: true;
  version: number;
}

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
