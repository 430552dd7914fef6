import {
  fingerprintOf,
  type RotateConsumerSecretReply,
  type RotateConsumerSecretRequest,
} from '@integrations/contracts';
import { randomToken } from '@integrations/oauth1';
import { Injectable } from '@nestjs/common';
import { ConsumerStore } from '../../consumer/consumer.store';
import { OauthEventLog, type EventMeta } from '../../events/oauth-event-log';
import { IntegrationStatusProjection } from '../../integration-status/integration-status.projection';
import { OauthSettings } from '../../oauth-settings';
import { integrationDeleted, noConsumerToRotate, rotationInProgress } from '../../oauth.errors';
import { CredentialCache } from '../../verification/credential-cache';
import { postCredentials } from '../post-credentials/post-credentials';

/**
 * "Rotate consumer secret" (Magento never rotates one): a new secret from the CSPRNG, the consumer
 * key and the access tokens unchanged. The replaced secret keeps signing for
 * `oauth/consumer/secret_rotation_overlap` seconds (default 0: it stops at once), so a partner can
 * switch without downtime. In exchange mode the new secret is POSTed to the callback URL first, as
 * at activation (without a verifier): a failed POST changes nothing. Every replica uses the new
 * secret once this returns (change signal, docs/adr/0006 §3). The event carries no secret.
 */
@Injectable()
export class RotateConsumerSecretHandler {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly statuses: IntegrationStatusProjection,
    private readonly cache: CredentialCache,
    private readonly events: OauthEventLog,
    private readonly settings: OauthSettings,
  ) {}

  async execute(
    integrationId: string,
    request: RotateConsumerSecretRequest,
    meta: EventMeta,
  ): Promise<RotateConsumerSecretReply> {
    const { consumers, settings } = this;
    if ((await this.statuses.statusOf(integrationId)) === 'deleted') throw integrationDeleted(integrationId);
    const consumer = await consumers.findByIntegration(integrationId);
    if (!consumer) throw noConsumerToRotate(integrationId);
    const generation = consumer.secretGeneration + 1;
    if (!(await consumers.claimRotation(consumer.key, generation, meta.now))) throw rotationInProgress();
    const secret = randomToken();
    const overlap = settings.get('oauth/consumer/secret_rotation_overlap');
    const previousUntil = overlap > 0 ? new Date(meta.now.getTime() + overlap * 1000) : null;
    try {
      if (request.mode === 'exchange') {
        await postCredentials({
          callbackUrl: request.callbackUrl,
          fields: [
            ['oauth_consumer_key', consumer.key],
            ['oauth_consumer_secret', secret],
            ['store_base_url', request.storeBaseUrl],
          ],
          timeoutMs: settings.get('oauth/consumer/post_timeout') * 1000,
          maxRedirects: settings.get('oauth/consumer/post_maxredirects'),
          allowList: settings.get('oauth/consumer/outbound_allowlist'),
        });
      }
      await consumers.rotateSecret(consumer, generation, secret, previousUntil, meta.now);
    } catch (error) {
      await consumers.releaseRotation(consumer.key, generation).catch(() => undefined);
      throw error;
    }
    await this.cache.announceChange();
    const previousSecretExpiresAt = previousUntil?.toISOString() ?? null;
    await this.events.record(
      integrationId,
      [
        {
          type: 'ConsumerSecretRotated',
          payload: {
            integrationId,
            consumerId: consumer.id,
            consumerKeyFingerprint: fingerprintOf(consumer.key),
            generation,
            mode: request.mode,
            previousSecretExpiresAt,
            integrationVersion: request.integration.version,
          },
        },
      ],
      meta,
    );
    return request.mode === 'tokens'
      ? { mode: 'tokens', consumerKey: consumer.key, consumerSecret: secret, previousSecretExpiresAt }
      : { mode: 'exchange', consumerKey: consumer.key, previousSecretExpiresAt };
  }
}
