import type { ApiCallVerdict, SignedCall } from '@integrations/contracts';
import { problems, verifyRequest, type OAuthRejection, type VerifyLookups } from '@integrations/oauth1';
import { Injectable } from '@nestjs/common';
import type { Consumer } from '../../consumer/consumer.store';
import { acceptsGeneration, signingGeneration } from '../../consumer/secret-generations';
import { CredentialUseRecorder } from '../../credentials/credential-use/credential-use.recorder';
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
 * One change-signal read per request or batch, started when it arrives; no verdict is given before
 * it completed (docs/adr/0006 §3). While it is in flight the nonces are already claimed
 * (group-committed across concurrent calls): a claim needs only the consumer id, which never
 * changes for a key, so a cached consumer may serve it before the read. Everything that can change
 * (the token, whether the consumer still exists) is read as of the signal. Warm, a batch costs the
 * signal read and the nonce insert, side by side.
 */
@Injectable()
export class VerifyApiCallHandler {
  constructor(
    private readonly cache: CredentialCache,
    private readonly settings: OauthSettings,
    private readonly usage: UsageRecorder,
    private readonly nonces: MongoNonceStore,
    private readonly credentialUses: CredentialUseRecorder,
  ) {}

  /** `attribute`: name the integration on refusals when its consumer is known (InternalHeaders.refusalAttribution). */
  async execute(call: SignedCall, attribute = false): Promise<ApiCallVerdict> {
    const [verdict] = await this.executeBatch([call], attribute);
    return verdict!;
  }

  /** Verdicts in the order of the calls. Rejects (503) when the change signal cannot be read. */
  async executeBatch(calls: readonly SignedCall[], attribute = false): Promise<ApiCallVerdict[]> {
    const fresh = this.cache.fresh();
    // Awaited by every call below; this only keeps a failure from counting as unhandled meanwhile.
    fresh.catch(() => undefined);
    return Promise.all(
      calls.map(async (call) => {
        const { verdict, named } = await this.verify(call, fresh);
        return attribute && !verdict.ok && named !== undefined ? { ...verdict, integrationId: named } : verdict;
      }),
    );
  }

  /** The verdict, and the integration whose consumer or token the call named once that was found. */
  private async verify(call: SignedCall, fresh: Promise<void>): Promise<{ verdict: ApiCallVerdict; named?: string }> {
    const bearer = call.authorization ? BEARER.exec(call.authorization.trim()) : null;
    if (bearer) {
      await fresh;
      return this.verifyBearer(bearer[1]);
    }
    const request = toOAuthHttpRequest(call);
    if (isRejection(request)) {
      await fresh;
      return { verdict: asVerdict(request) };
    }
    /** The key whose consumer came from the cache before the signal read, if it did. */
    let peeked: string | undefined;
    let named: string | undefined;
    const lookups: VerifyLookups<Consumer, Token> = {
      findConsumer: async (key) => {
        const cached = this.cache.peekConsumer(key);
        if (cached) {
          peeked = key;
          named = cached.integrationId;
          return cached;
        }
        await fresh;
        const consumer = await this.cache.consumerByKey(key);
        named = consumer?.integrationId;
        return consumer;
      },
      findToken: async (value) => {
        await fresh;
        const token = await this.cache.token(value);
        // `revoked` is computed per call, so a grace period ends on time while the token is cached.
        return token && { ...token, revoked: isTokenRevoked(token, Date.now()) };
      },
      nonceStore: this.nonces,
    };
    const now = Date.now();
    const result = await verifyRequest<Consumer, Token>(request, lookups, {
      mode: 'api-call',
      ...signatureOptions(this.settings, new Date(now)),
    });
    await fresh;
    // A consumer taken from the cache before the read must still exist as of it; if it does not,
    // Magento's answer is the one its check 5 gives, whatever the later checks said. The secret that
    // signed must still be accepted as of it too: a rotation may have replaced it meanwhile.
    if (peeked !== undefined) {
      const current = await this.cache.consumerByKey(peeked);
      if (!current) return { verdict: asVerdict(problems.consumerKeyUnknown()) };
      if (result.ok && !acceptsGeneration(current, signingGeneration(result.consumer, result.consumerSecret), now))
        return { verdict: asVerdict(problems.signatureInvalid()), named };
    }
    if (!result.ok) return { verdict: asVerdict(result), named };
    return { verdict: this.accept(result.consumer, 'oauth', now, result.token?.id) };
  }

  private async verifyBearer(value: string | undefined): Promise<{ verdict: ApiCallVerdict; named?: string }> {
    if (!this.settings.get('oauth/consumer/enable_integration_as_bearer')) {
      return {
        verdict: refuse(
          401,
          'OAUTH.BEARER_DISABLED',
          'Integration access tokens are not accepted as Bearer tokens here; sign the request with OAuth 1.0a.',
        ),
      };
    }
    // Magento: exactly `Bearer <token>`, one token, no further parameters.
    const value32 = value?.trim() ?? '';
    if (!/^[0-9a-z]{32}$/.test(value32))
      return { verdict: refuse(401, 'OAUTH.BEARER_MALFORMED', 'The Bearer token is not an access token.') };
    const now = Date.now();
    const token = await this.cache.token(value32);
    if (!token || token.type !== 'access') return { verdict: asVerdict(problems.tokenUnknown()) };
    if (isTokenRevoked(token, now)) return { verdict: asVerdict(problems.tokenRevoked()), named: token.integrationId };
    // The token's consumer must still be the integration's (a removed consumer takes its tokens along).
    const consumer = await this.cache.consumerOfIntegration(token.integrationId);
    if (!consumer || consumer.id !== token.consumerId)
      return { verdict: asVerdict(problems.tokenUnknown()), named: token.integrationId };
    return { verdict: this.accept(consumer, 'bearer', now, token.id) };
  }

  private accept(consumer: Consumer, scheme: 'oauth' | 'bearer', now: number, tokenId?: string): ApiCallVerdict {
    this.usage.record(consumer.integrationId, now);
    // A Bearer call shows the token only: the consumer's key and secret did not serve.
    this.credentialUses.record({ consumerId: scheme === 'oauth' ? consumer.id : undefined, tokenId }, now);
    return { ok: true, integrationId: consumer.integrationId, consumerKey: consumer.key, scheme };
  }
}

const asVerdict = (rejection: OAuthRejection): ApiCallVerdict =>
  refuse(rejection.status, rejection.code, rejection.problem);
