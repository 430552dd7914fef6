import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../integration.decider';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

/**
 * Refuse every call of the integration at once, keeping its consumer, tokens and status (docs/adr/0010).
 * A narrowing of access: the acl holds it before the event is stored (docs/adr/0006 §2).
 */
export class SuspendIntegrationCommand extends Command<IntegrationJson> {
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
