import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { ConsumerId, RevocationReason } from './oauth-fields';

/**
 * Access tokens of the integration stop working at `effectiveAt`: at once, or at the end of the
 * `oauth/access/reauthorize_grace_period` after a reauthorize. On `integration-deleted` and
 * `integration-reset` the consumer itself is gone too.
 */
export const TokensRevoked = defineEvent({
  type: 'TokensRevoked',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    consumerId: ConsumerId,
    reason: RevocationReason,
    /** Access tokens affected (0 when only the consumer and unfinished handshakes went). */
    tokens: z.number().int().nonnegative(),
    effectiveAt: z.iso.datetime({ offset: true }),
  }),
});
export type TokensRevokedData = DataOf<typeof TokensRevoked>;
