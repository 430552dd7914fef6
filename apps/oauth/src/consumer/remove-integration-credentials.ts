import type { RevocationReason } from '@integrations/contracts';
import type { OauthEventLog } from '../events/oauth-event-log';
import type { MongoNonceStore } from '../nonce/nonce.store';
import type { TokenStore } from '../token/token.store';
import type { CredentialCache } from '../verification/credential-cache';
import type { ConsumerStore } from './consumer.store';

export interface RemovalContext {
  consumers: ConsumerStore;
  tokens: TokenStore;
  nonces: MongoNonceStore;
  cache: CredentialCache;
  events: OauthEventLog;
}

/**
 * Deletes an integration's consumer, tokens and nonces (Magento's `deleteConsumer` + its
 * `_afterDelete`), on IntegrationDeleted and IntegrationReset (a reset integration gets a new
 * consumer key and secret, as Magento's recreate does). Tokens go first, the consumer last: if the
 * process dies half-way, the redelivered event finds the consumer and finishes the job.
 * Returns false when there was nothing to remove.
 */
export async function removeIntegrationCredentials(
  context: RemovalContext,
  integrationId: string,
  reason: Extract<RevocationReason, 'integration-deleted' | 'integration-reset'>,
  meta: { now: Date; actor: string; correlationId: string },
): Promise<boolean> {
  const { consumers, tokens, nonces, cache, events } = context;
  const consumer = await consumers.findByIntegration(integrationId);
  if (!consumer) {
    cache.forgetIntegration(integrationId);
    return false;
  }
  const live = await tokens.findForConsumer(consumer.id);
  await tokens.deleteForConsumer(consumer.id);
  cache.forgetIntegration(integrationId);
  await nonces.deleteForConsumer(consumer.id);
  await consumers.deleteByIntegration(integrationId);
  cache.forgetIntegration(integrationId);
  await events.record(
    integrationId,
    [
      {
        type: 'TokensRevoked',
        payload: {
          integrationId,
          consumerId: consumer.id,
          reason,
          tokens: live.filter((token) => token.type === 'access').length,
          effectiveAt: meta.now.toISOString(),
        },
      },
    ],
    meta,
  );
  return true;
}
