import { fingerprintOf, type OAuthEvent } from '@integrations/contracts';
import { formEncode, problems, verifyRequest } from '@integrations/oauth1';
import { currentContext } from '@integrations/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Consumer } from '../../consumer/consumer.store';
import { OauthRuntime } from '../../oauth.runtime';
import type { Token } from '../../token/token.store';
import { toOAuthHttpRequest, type SignedRequest } from '../../verification/signed-request';
import { isRejection, problemReply, type TokenReply } from '../../verification/token-reply';
import { signatureOptions } from '../../verification/verify-options';

/**
 * `POST /oauth/token/access` (Magento's Token/Access controller): the request token and its verifier
 * (constant time) are checked before the signature keyed with `consumer_secret&request_secret`; the
 * consumer's exchange window is not re-checked (Magento does not). The request token is replaced by
 * an access token, any older access token of the consumer stops working (one per integration, unlike
 * Magento #36326), and AccessTokenGranted tells the registry the integration is now active.
 */
@Injectable()
export class AccessTokenHandler {
  constructor(private readonly runtime: OauthRuntime) {}

  async execute(signed: SignedRequest): Promise<TokenReply> {
    const { consumers, tokens, nonces, settings, cache, events } = this.runtime;
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
    const requestToken = result.token!;

    const access = await tokens.createAccess(consumer, now);
    if (!(await tokens.consume(requestToken.id, 'request'))) {
      await tokens.remove(access.id);
      return problemReply(problems.tokenUsed());
    }
    const revoked = await tokens.revokeAccessTokens(consumer.id, { keep: access.id, until: null, now });
    cache.forgetTokensOf(consumer.id);

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
    await events.record(integrationId, granted, {
      now,
      actor: integrationId,
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
    return {
      status: 200,
      body: formEncode([
        ['oauth_token', access.token],
        ['oauth_token_secret', access.secret],
      ]),
    };
  }
}
