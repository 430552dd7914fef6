import { Command } from '@nestjs/cqrs';
import type { CommandMeta } from '../integration.repository';

/**
 * Record that the integration's expiry passed (IntegrationExpired), once per expiry date. Issued by
 * the expiry job only; calls are refused from `expiresAt` on whether or not it ran (the acl compares
 * the time). Answers the version after it (unchanged when there was nothing to record).
 */
export class ExpireIntegrationCommand extends Command<{ version: number; expired: boolean }> {
  constructor(
    readonly integrationId: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
