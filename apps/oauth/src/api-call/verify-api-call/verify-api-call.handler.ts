import type { ApiCallVerdict, SignedCall } from '@integrations/contracts';
import { problems, verifyRequest, type VerifyLookups } from '@integrations/oauth1';
import { Injectable } from '@nestjs/common';
import type { Consumer } from '../../consumer/consumer.store';
import { MongoNonceStore } from '../../nonce/nonce.store';
import { OauthSettings } from '../../oauth-settings';
import { isTokenRevoked, type Token } from '../../token/token.store';
import { UsageRecorder } from '../../usage/usage-recorder';
import { CredentialCache } from '../../verification/credential-cache';
import { toOAuthHttpRequest } from '../../verification/signed-request';
import { isRejection } from '../../verification/token-reply';
import { signatureOptions } from '../../verification/verify-options';
import { refuse } from './api-call-verdict';

const BEARER = /^bearer(?:\s+(.*))?$/i;

/**
 * A protected API call, before the acl decides: is it signed by valid credentials, and whose?
 * RFC 5849 verification (Magento's OauthUserContext), or `Authorization: Bearer <access token>`
 * (Magento 2.4.4+'s TokenUserContext) when `oauth/consumer/enable_integration_as_bearer` is on.
 * Whether the integration may call at all (its status) is the acl's answer, not ours
 * (docs/adr/0006 §1). Accepted calls are counted for "last used".
 *
 * Lookups come from the credential cache, valid as of one change-signal read per request or batch;
 * the one write of a verified call is its nonce claim, group-committed across concurrent calls.
 */
@Injectable()
export class VerifyApiCallHandler {
  private readonly lookups: VerifyLookups<Consumer, Token>;

  constructor(
    private readonly cache: CredentialCache,
    private readonly settings: OauthSettings,
    private readonly usage: UsageRecorder,
    nonces: MongoNonceStore,
  ) {
    this.lookups = {
      findConsumer: (key) => this.cache.consumerByKey(key),
      // `revoked` is computed per call, so a grace period ends on time while the token sits in the cache.
      findToken: async (value) => {
        const token = await this.cache.token(value);
        return token && { ...token, revoked: isTokenRevoked(token, Date.now()) };
      },
      nonceStore: nonces,
    };
  }

  async execute(call: SignedCall): Promise<ApiCallVerdict> {
    await this.cache.fresh();
    return this.verify(call);
  }

  /** Verdicts in the order of the calls; one change-signal read for the whole batch. */
  async executeBatch(calls: readonly SignedCall[]): Promise<ApiCallVerdict[]> {
    await this.cache.fresh();
    return Promise.all(calls.map((call) => this.verify(call)));
  }

  private async verify(call: SignedCall): Promise<ApiCallVerdict> {
    const bearer = call.authorization ? BEARER.exec(call.authorization.trim()) : null;
    if (bearer) return this.verifyBearer(bearer[1]);

    const request = toOAuthHttpRequest(call);
    if (isRejection(request)) return refuse(request.status, request.code, request.problem);
    const now = Date.now();
    const result = await verifyRequest<Consumer, Token>(request, this.lookups, {
      mode: 'api-call',
      ...signatureOptions(this.settings, new Date(now)),
    });
    if (!result.ok) return refuse(result.status, result.code, result.problem);
    return this.accept(result.consumer, 'oauth', now);
  }

  private async verifyBearer(value: string | undefined): Promise<ApiCallVerdict> {
    if (!this.settings.get('oauth/consumer/enable_integration_as_bearer')) {
      return refuse(
        401,
        'OAUTH.BEARER_DISABLED',
        'Integration access tokens are not accepted as Bearer tokens here; sign the request with OAuth 1.0a.',
      );
    }
    // Magento: exactly `Bearer <token>`, one token, no further parameters.
    const value32 = value?.trim() ?? '';
    if (!/^[0-9a-z]{32}$/.test(value32))
      return refuse(401, 'OAUTH.BEARER_MALFORMED', 'The Bearer token is not an access token.');
    const now = Date.now();
    const token = await this.cache.token(value32);
    if (!token || token.type !== 'access') return asVerdict(problems.tokenUnknown());
    if (isTokenRevoked(token, now)) return asVerdict(problems.tokenRevoked());
    // The token's consumer must still be the integration's (a removed consumer takes its tokens along).
    const consumer = await this.cache.consumerOfIntegration(token.integrationId);
    if (!consumer || consumer.id !== token.consumerId) return asVerdict(problems.tokenUnknown());
    return this.accept(consumer, 'bearer', now);
  }

  private accept(consumer: Consumer, scheme: 'oauth' | 'bearer', now: number): ApiCallVerdict {
    this.usage.record(consumer.integrationId, now);
    return { ok: true, integrationId: consumer.integrationId, consumerKey: consumer.key, scheme };
  }
}

const asVerdict = (rejection: { status: 400 | 401; code: string; problem: string }) =>
  refuse(rejection.status, rejection.code, rejection.problem);
