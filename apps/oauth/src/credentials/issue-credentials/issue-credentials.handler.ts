import {
  fingerprintOf,
  type ExchangeStartedReply,
  type IssueCredentialsReply,
  type IssueCredentialsRequest,
  type IssuedTokens,
  type OAuthEvent,
} from '@integrations/contracts';
import { Injectable } from '@nestjs/common';
import { ConsumerStore, type Consumer } from '../../consumer/consumer.store';
import { CredentialRemoval } from '../../consumer/credential-removal';
import { OauthEventLog, type EventMeta } from '../../events/oauth-event-log';
import { IntegrationStatusProjection } from '../../integration-status/integration-status.projection';
import { OauthSettings } from '../../oauth-settings';
import { integrationDeleted } from '../../oauth.errors';
import { TokenStore } from '../../token/token.store';
import { CredentialCache } from '../../verification/credential-cache';
import { postCredentials } from '../post-credentials/post-credentials';

/**
 * Activation and reauthorization, oauth side (Magento's OauthService::createAccessToken and
 * TokensExchange::postToConsumer). The consumer is created on first use and never rotated (Magento
 * keeps its key and secret on reauthorize). Every earlier access token stops working when this
 * returns: at once, or after `oauth/access/reauthorize_grace_period` on a reauthorize. In exchange
 * mode a failed POST leaves everything as it was (except a newly created consumer, which is harmless).
 *
 * A reset integration (as the gateway saw it) gets a new consumer: the old one is removed here if
 * Kafka has not removed it yet, and the new one records the version the gateway saw, so that the
 * IntegrationReset arriving later spares it. Every replica sees the change once this returns (the
 * change signal is set before the reply, docs/adr/0006 §3).
 */
@Injectable()
export class IssueCredentialsHandler {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    private readonly statuses: IntegrationStatusProjection,
    private readonly removal: CredentialRemoval,
    private readonly cache: CredentialCache,
    private readonly events: OauthEventLog,
    private readonly settings: OauthSettings,
  ) {}

  async execute(
    integrationId: string,
    request: IssueCredentialsRequest,
    meta: EventMeta,
  ): Promise<IssueCredentialsReply> {
    const { consumers, statuses, events } = this;
    if ((await statuses.statusOf(integrationId)) === 'deleted') throw integrationDeleted(integrationId);
    const seen = request.integration;
    if (seen?.status === 'reset') await this.removeConsumerBefore(integrationId, seen.version, meta);
    const { consumer, created } = await consumers.ensureForIntegration(integrationId, meta.now, seen?.version ?? null);
    const consumerEvents: OAuthEvent[] = created
      ? [
          {
            type: 'ConsumerCreated',
            payload: { integrationId, consumerId: consumer.id, consumerKeyFingerprint: fingerprintOf(consumer.key) },
          },
        ]
      : [];
    try {
      return request.mode === 'tokens'
        ? await this.issueTokens(consumer, request.reauthorize, consumerEvents, meta)
        : await this.startExchange(consumer, request, consumerEvents, meta);
    } catch (error) {
      // The consumer stays (it is harmless and reused next time); say so even though issuing failed.
      if (consumerEvents.length > 0) await events.record(integrationId, consumerEvents, meta).catch(() => undefined);
      throw error;
    }
  }

  /** The consumer of the integration as it was before the reset at `version`, if it is still there. */
  private async removeConsumerBefore(integrationId: string, version: number, meta: EventMeta): Promise<void> {
    const existing = await this.consumers.findByIntegration(integrationId);
    if (existing && (existing.integrationVersion ?? 0) < version)
      await this.removal.remove(existing, 'integration-reset', meta);
  }

  /** Magento's no-exchange path: the verifier -> request -> access chain ends in one access token. */
  private async issueTokens(
    consumer: Consumer,
    reauthorize: boolean,
    recorded: OAuthEvent[],
    meta: EventMeta,
  ): Promise<IssuedTokens> {
    const { tokens, cache, events } = this;
    const access = await tokens.createAccess(consumer, meta.now);
    await tokens.deletePendingHandshakes(consumer.id);
    const revoked = await tokens.revokeAccessTokens(consumer.id, {
      keep: access.id,
      until: this.revocationTime(reauthorize, meta.now),
      now: meta.now,
    });
    await cache.announceChange();
    await events.record(
      consumer.integrationId,
      [
        ...recorded,
        ...this.revokedEvents(consumer, revoked, reauthorize, meta.now),
        {
          type: 'CredentialsIssued',
          payload: {
            integrationId: consumer.integrationId,
            consumerId: consumer.id,
            mode: 'tokens',
            reauthorize,
            accessTokenFingerprint: fingerprintOf(access.token),
          },
        },
      ],
      meta,
    );
    return {
      mode: 'tokens',
      consumerKey: consumer.key,
      consumerSecret: consumer.secret,
      accessToken: access.token,
      accessTokenSecret: access.secret,
    };
  }

  private async startExchange(
    consumer: Consumer,
    request: Extract<IssueCredentialsRequest, { mode: 'exchange' }>,
    recorded: OAuthEvent[],
    meta: EventMeta,
  ): Promise<ExchangeStartedReply> {
    const { tokens, consumers, cache, events, settings } = this;
    const { reauthorize } = request;
    // A new exchange replaces any unfinished one, so a failed handshake never blocks the next (Magento #2540).
    await tokens.deletePendingHandshakes(consumer.id);
    const verifier = await tokens.createVerifier(consumer, reauthorize, meta.now);
    // Before the POST: a partner may call /oauth/token/request while we still wait for its answer.
    await consumers.setExchangeStartedAt(consumer.key, meta.now);
    try {
      await postCredentials({
        callbackUrl: request.callbackUrl,
        fields: [
          ['oauth_consumer_key', consumer.key],
          ['oauth_consumer_secret', consumer.secret],
          ['store_base_url', request.storeBaseUrl],
          ['oauth_verifier', verifier.verifier!],
        ],
        timeoutMs: settings.get('oauth/consumer/post_timeout') * 1000,
        maxRedirects: settings.get('oauth/consumer/post_maxredirects'),
        allowList: settings.get('oauth/consumer/outbound_allowlist'),
      });
    } catch (error) {
      await tokens.remove(verifier.id);
      await consumers.setExchangeStartedAt(consumer.key, consumer.exchangeStartedAt);
      throw error;
    }
    // Only now (Magento deletes first): a failed POST must leave the partner's current token working.
    const revoked = await tokens.revokeAccessTokens(consumer.id, {
      createdBefore: meta.now,
      until: this.revocationTime(reauthorize, meta.now),
      now: meta.now,
    });
    await cache.announceChange();
    const expiresAt = new Date(
      meta.now.getTime() + settings.get('oauth/consumer/expiration_period') * 1000,
    ).toISOString();
    await events.record(
      consumer.integrationId,
      [
        ...recorded,
        {
          type: 'ExchangeStarted',
          payload: { integrationId: consumer.integrationId, consumerId: consumer.id, reauthorize, expiresAt },
        },
        ...this.revokedEvents(consumer, revoked, reauthorize, meta.now),
        {
          type: 'CredentialsIssued',
          payload: {
            integrationId: consumer.integrationId,
            consumerId: consumer.id,
            mode: 'exchange',
            reauthorize,
            accessTokenFingerprint: null,
          },
        },
      ],
      meta,
    );
    return { mode: 'exchange', consumerKey: consumer.key };
  }

  /** null = at once; a reauthorize may leave the old token a grace period. */
  private revocationTime(reauthorize: boolean, now: Date): Date | null {
    const grace = reauthorize ? this.settings.get('oauth/access/reauthorize_grace_period') : 0;
    return grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
  }

  private revokedEvents(consumer: Consumer, revoked: string[], reauthorize: boolean, now: Date): OAuthEvent[] {
    if (revoked.length === 0) return [];
    const effectiveAt = (this.revocationTime(reauthorize, now) ?? now).toISOString();
    return [
      {
        type: 'TokensRevoked',
        payload: {
          integrationId: consumer.integrationId,
          consumerId: consumer.id,
          reason: reauthorize ? 'reauthorized' : 'replaced',
          tokens: revoked.length,
          effectiveAt,
        },
      },
    ];
  }
}
