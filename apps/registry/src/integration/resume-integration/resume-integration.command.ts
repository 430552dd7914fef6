import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../integration.decider';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

/** Let a suspended integration call again, with the credentials it holds (docs/adr/0010). */
export class ResumeIntegrationCommand extends Command<IntegrationJson> {
  constructor(
    readonly integrationId: string,
    /** Absent: the version loaded by the handler. */
    readonly expectedVersion: number | undefined,
    readonly origin: CommandOrigin,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
