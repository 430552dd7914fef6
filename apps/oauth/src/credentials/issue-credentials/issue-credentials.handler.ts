import { fingerprintOf, type OAuthEvent } from '@integrations/contracts';
import { Injectable } from '@nestjs/common';
import type { Consumer } from '../../consumer/consumer.store';
import type { EventMeta } from '../../events/oauth-event-log';
import { OauthRuntime } from '../../oauth.runtime';
import { integrationDeleted } from '../../oauth-errors';
import { postCredentials } from '../post-credentials/post-credentials';
import type {
  ExchangeStartedReply,
  IssueCredentialsReply,
  IssueCredentialsRequest,
  IssuedTokens,
} from './issue-credentials.request';

/**
 * Activation and reauthorization, oauth side (Magento's OauthService::createAccessToken and
 * TokensExchange::postToConsumer). The consumer is created on first use and never rotated (Magento
 * keeps its key and secret on reauthorize). Every earlier access token stops working when this
 * returns: at once, or after `oauth/access/reauthorize_grace_period` on a reauthorize. In exchange
 * mode a failed POST leaves everything as it was (except a newly created consumer, which is harmless).
 */
@Injectable()
export class IssueCredentialsHandler {
  constructor(private readonly runtime: OauthRuntime) {}

  async execute(
    integrationId: string,
    request: IssueCredentialsRequest,
    meta: EventMeta,
  ): Promise<IssueCredentialsReply> {
    const { consumers, statuses, events } = this.runtime;
    if ((await statuses.statusOf(integrationId)) === 'deleted') throw integrationDeleted(integrationId);
    const { consumer, created } = await consumers.ensureForIntegration(integrationId, meta.now);
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

  /** Magento's no-exchange path: the verifier -> request -> access chain ends in one access token. */
  private async issueTokens(
    consumer: Consumer,
    reauthorize: boolean,
    recorded: OAuthEvent[],
    meta: EventMeta,
  ): Promise<IssuedTokens> {
    const { tokens, cache, events } = this.runtime;
    const access = await tokens.createAccess(consumer, meta.now);
    await tokens.deletePendingHandshakes(consumer.id);
    const revoked = await tokens.revokeAccessTokens(consumer.id, {
      keep: access.id,
      until: this.revocationTime(reauthorize, meta.now),
      now: meta.now,
    });
    cache.forgetTokensOf(consumer.id);
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
    const { tokens, consumers, cache, events, settings } = this.runtime;
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
    cache.forgetTokensOf(consumer.id);
    cache.forgetIntegration(consumer.integrationId);
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
    const grace = reauthorize ? this.runtime.settings.get('oauth/access/reauthorize_grace_period') : 0;
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
