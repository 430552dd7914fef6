import { Command } from '@nestjs/cqrs';
import type { CommandMeta } from '../integration.repository';
import type { IntegrationJson } from '../integration.view';

/**
 * Magento's "Reset" of a config-type integration whose configuration changed its resources: the
 * oauth service drops its consumer and tokens on IntegrationReset, and the next activation issues
 * new credentials. Issued by the manifest reconciler only; there is no HTTP route.
 */
export class ResetIntegrationCommand extends Command<IntegrationJson> {
  constructor(
    readonly integrationId: string,
    /** Absent: the version loaded by the handler. */
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
