import { fingerprintOf, type OAuthEvent, type SignedCall } from '@integrations/contracts';
import { formEncode, problems, verifyRequest } from '@integrations/oauth1';
import { currentContext } from '@integrations/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConsumerStore, type Consumer } from '../../consumer/consumer.store';
import { OauthEventLog } from '../../events/oauth-event-log';
import { CredentialUseRecorder } from '../../credentials/credential-use/credential-use.recorder';
import { MongoNonceStore } from '../../nonce/nonce.store';
import { OauthSettings } from '../../oauth-settings';
import { TokenStore, type Token } from '../../token/token.store';
import { CredentialCache } from '../../verification/credential-cache';
import { toOAuthHttpRequest } from '../../verification/signed-request';
import { isRejection, problemReply, type TokenReply } from '../../verification/token-reply';
import { signatureOptions } from '../../verification/verify-options';
import { ActivationCompletionClient } from './activation-completion.client';

/**
 * `POST /oauth/token/access` (Magento's Token/Access controller): the request token and its verifier
 * (constant time) are checked before the signature keyed with `consumer_secret&request_secret`; the
 * consumer's exchange window is not re-checked (Magento does not). The request token is replaced by
 * an access token, any older access token of the consumer stops working (one per integration, unlike
 * Magento #36326), and the registry is asked to complete the activation before the partner gets
 * its token (docs/adr/0006 §2), so its first signed call is accepted at once. AccessTokenGranted on
 * the oauth topic remains the fallback when the registry cannot be reached.
 */
@Injectable()
export class AccessTokenHandler {
  constructor(
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    private readonly nonces: MongoNonceStore,
    private readonly settings: OauthSettings,
    private readonly cache: CredentialCache,
    private readonly events: OauthEventLog,
    private readonly registry: ActivationCompletionClient,
    private readonly credentialUses: CredentialUseRecorder,
  ) {}

  async execute(signed: SignedCall): Promise<TokenReply> {
    const { consumers, tokens, nonces, settings, cache, events } = this;
    const request = toOAuthHttpRequest(signed);
    if (isRejection(request)) return problemReply(request);
    const now = new Date();
    const result = await verifyRequest<Consumer, Token>(
      request,
      { findConsumer: (key) => consumers.findByKey(key), findToken: (token) => tokens.find(token), nonceStore: nonces },
      { mode: 'access-token', ...signatureOptions(settings, now) },
    );
    if (!result.ok) return problemReply(result);
    const consumer = result.consumer;
    this.credentialUses.record({ consumerId: consumer.id }, now.getTime());
    const requestToken = result.token!;

    const access = await tokens.createAccess(consumer, now);
    if (!(await tokens.consume(requestToken.id, 'request'))) {
      await tokens.remove(access.id);
      return problemReply(problems.tokenUsed());
    }
    const revoked = await tokens.revokeAccessTokens(consumer.id, { keep: access.id, until: null, now });
    await cache.announceChange();

    const integrationId = consumer.integrationId;
    const granted: OAuthEvent[] = [
      {
        type: 'AccessTokenGranted',
        payload: { integrationId, consumerId: consumer.id, accessTokenFingerprint: fingerprintOf(access.token) },
      },
    ];
    if (revoked.length > 0) {
      granted.push({
        type: 'TokensRevoked',
        payload: {
          integrationId,
          consumerId: consumer.id,
          reason: 'replaced',
          tokens: revoked.length,
          effectiveAt: now.toISOString(),
        },
      });
    }
    const correlationId = currentContext()?.correlationId ?? randomUUID();
    const [grantId] = await events.record(integrationId, granted, { now, actor: integrationId, correlationId });
    await this.registry.complete(integrationId, grantId!, { correlationId });
    return {
      status: 200,
      body: formEncode([
        ['oauth_token', access.token],
        ['oauth_token_secret', access.secret],
      ]),
    };
  }
}
