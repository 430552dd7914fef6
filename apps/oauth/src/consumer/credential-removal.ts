import type { RevocationReason } from '@integrations/contracts';
import type { EventMeta, OauthEventLog } from '../events/oauth-event-log';
import type { MongoNonceStore } from '../nonce/nonce.store';
import type { TokenStore } from '../token/token.store';
import type { CredentialCache } from '../verification/credential-cache';
import type { Consumer, ConsumerStore } from './consumer.store';

type RemovalReason = Extract<RevocationReason, 'integration-deleted' | 'integration-reset'>;

/**
 * Deletes an integration's consumer, tokens and nonces (Magento's `deleteConsumer` + its
 * `_afterDelete`): on IntegrationDeleted and IntegrationReset from Kafka, and at the activation of a
 * reset integration when Kafka has not delivered the reset yet (a reset integration gets a new
 * consumer key and secret, as Magento's recreate does). Tokens go first and the consumer last: if
 * the process dies half-way, the redelivered event finds the consumer and finishes the job. Every
 * replica stops accepting the credentials once `remove` resolves (the change signal is set).
 */
export class CredentialRemoval {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    private readonly nonces: MongoNonceStore,
    private readonly cache: CredentialCache,
    private readonly events: OauthEventLog,
  ) {}

  /**
   * IntegrationDeleted / IntegrationReset at stream `version`. A reset spares a consumer created
   * for that reset or a later one (`integrationVersion >= version`): the activation that followed
   * the reset may have run before Kafka delivered it. Returns whether a consumer was removed.
   */
  async onIntegrationEvent(
    integrationId: string,
    reason: RemovalReason,
    version: number,
    meta: EventMeta,
  ): Promise<boolean> {
    const consumer = await this.consumers.findByIntegration(integrationId);
    if (!consumer) {
      // Nothing left, maybe because an earlier delivery died between the deletes and the signal:
      // announce anyway, so no replica keeps the removed credentials cached.
      await this.cache.announceChange();
      return false;
    }
    if (reason === 'integration-reset' && (consumer.integrationVersion ?? 0) >= version) return false;
    await this.remove(consumer, reason, meta);
    return true;
  }

  /** Removes this consumer (by key: never a newer consumer of the same integration) and its rows. */
  async remove(consumer: Consumer, reason: RemovalReason, meta: EventMeta): Promise<void> {
    const live = await this.tokens.findForConsumer(consumer.id);
    await this.tokens.deleteForConsumer(consumer.id);
    await this.nonces.deleteForConsumer(consumer.id);
    await this.consumers.delete(consumer.key);
    await this.cache.announceChange();
    await this.events.record(
      consumer.integrationId,
      [
        {
          type: 'TokensRevoked',
          payload: {
            integrationId: consumer.integrationId,
            consumerId: consumer.id,
            reason,
            tokens: live.filter((token) => token.type === 'access').length,
            effectiveAt: meta.now.toISOString(),
          },
        },
      ],
      meta,
    );
  }
}
