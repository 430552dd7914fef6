import type { OAuthRejection } from './problems';
import { problems } from './problems';
import type { ProtocolParameters } from './request-parameters';
import { CREDENTIAL_LENGTH } from './random-token';
import { isUnreserved } from './percent-encoding';
import { safeEqual } from './safe-equal';

export type TokenType = 'verifier' | 'request' | 'access';

/** What verification needs to know about a consumer; services pass their own richer record. */
export interface OAuthConsumerRecord {
  id: string;
  /** The decrypted consumer secret. */
  secret: string;
  /**
   * The secret a rotation replaced, accepted as well until `expiresAt` (exclusive), so a partner can
   * switch without downtime. Judged against `VerifyOptions.now` on every call: the overlap ends on
   * time whatever a caller caches.
   */
  previousSecret?: { secret: string; expiresAt: Date } | null;
}

/** What verification needs to know about a token row (Magento keeps one per integration). */
export interface OAuthTokenRecord {
  consumerId: string;
  type: TokenType;
  /** The decrypted token secret. */
  secret: string;
  /** The decrypted verifier (request tokens carry it). */
  verifier?: string | null;
  revoked?: boolean;
}

export interface NonceStore {
  /**
   * Records `nonce` for the consumer and answers true, or answers false when it was already
   * recorded. Must be atomic (a unique index on (consumerId, nonce)) and keep every entry at least
   * as long as the timestamp window, or an old request could be replayed once its nonce is purged.
   */
  claim(consumerId: string, nonce: string, timestamp: number): Promise<boolean>;
}

export interface VerifyLookups<C extends OAuthConsumerRecord, T extends OAuthTokenRecord> {
  findConsumer(key: string): Promise<C | null | undefined>;
  /** By the `oauth_token` value (access-token and api-call modes). */
  findToken(token: string): Promise<T | null | undefined>;
  /** The token row the service issued for this consumer (request-token mode: Magento looks the
   *  verifier up by consumer, not by anything in the request). */
  findConsumerToken?(consumer: C): Promise<T | null | undefined>;
  nonceStore: NonceStore;
}

export interface PolicyContext<C extends OAuthConsumerRecord, T extends OAuthTokenRecord> {
  params: ProtocolParameters;
  consumer: C;
  lookups: VerifyLookups<C, T>;
}

export type PolicyOutcome<T> = { ok: true; token: T | null } | OAuthRejection;

/**
 * How one kind of call treats tokens. `beforeSignature` runs after the nonce and consumer checks
 * and returns the token whose secret keys the signature (null: consumer secret only);
 * `afterSignature` runs once the signature is valid and may replace the token in the result.
 */
export interface TokenPolicy<C extends OAuthConsumerRecord, T extends OAuthTokenRecord> {
  /** Protocol parameters that must be present, in the order their absence is reported. */
  readonly requiredParams: readonly string[];
  beforeSignature(ctx: PolicyContext<C, T>): Promise<PolicyOutcome<T>>;
  afterSignature?(ctx: PolicyContext<C, T> & { token: T | null }): Promise<PolicyOutcome<T>>;
}

export const BASE_REQUIRED_PARAMS = [
  'oauth_consumer_key',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_nonce',
  'oauth_timestamp',
] as const;

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * `POST /oauth/token/request` (Magento `getRequestToken`): signed with `consumer_secret&`; after
 * the signature, the consumer's token row must still be a verifier (the exchange was started).
 */
export function requestTokenPolicy<C extends OAuthConsumerRecord, T extends OAuthTokenRecord>(): TokenPolicy<C, T> {
  return {
    requiredParams: BASE_REQUIRED_PARAMS,
    beforeSignature: async () => ({ ok: true, token: null }),
    afterSignature: async ({ consumer, lookups }) => {
      if (!lookups.findConsumerToken) {
        throw new Error('request-token verification needs lookups.findConsumerToken');
      }
      const token = await lookups.findConsumerToken(consumer);
      if (!token) return problems.consumerTokenMissing(consumer.id);
      if (token.type !== 'verifier') return problems.consumerTokenNotVerifier();
      return { ok: true, token };
    },
  };
}

/**
 * `POST /oauth/token/access` (Magento `getAccessToken` + `validateRequestToken`): the request
 * token must exist, belong to the consumer, still be of type `request`, and the verifier must
 * match (constant time); all before the signature, keyed with `consumer_secret&request_secret`.
 */
export function accessTokenPolicy<C extends OAuthConsumerRecord, T extends OAuthTokenRecord>(): TokenPolicy<C, T> {
  return {
    requiredParams: [...BASE_REQUIRED_PARAMS, 'oauth_token', 'oauth_verifier'],
    beforeSignature: async ({ params, consumer, lookups }) => {
      const token = await lookups.findToken(params.oauth_token);
      if (!token) return problems.tokenUnknown();
      if (token.consumerId !== consumer.id) return problems.requestTokenNotOwned();
      if (token.type !== 'request') return problems.tokenUsed();
      const verifier = params.oauth_verifier;
      if (byteLength(verifier) !== CREDENTIAL_LENGTH) return problems.verifierLength();
      if (!safeEqual(token.verifier ?? '', verifier)) return problems.verifierMismatch();
      return { ok: true, token };
    },
  };
}

/**
 * A signed API call (Magento `validateAccessTokenRequest`): the token must exist, belong to the
 * consumer, be an access token and not be revoked; the signature is keyed with
 * `consumer_secret&access_secret`. Whether the integration is active is the caller's next check.
 */
export function apiCallPolicy<C extends OAuthConsumerRecord, T extends OAuthTokenRecord>(): TokenPolicy<C, T> {
  return {
    requiredParams: [...BASE_REQUIRED_PARAMS, 'oauth_token'],
    beforeSignature: async ({ params, consumer, lookups }) => {
      const token = await lookups.findToken(params.oauth_token);
      if (!token) return problems.tokenUnknown();
      if (token.consumerId !== consumer.id) return problems.tokenNotOwned();
      if (token.type !== 'access') return problems.tokenNotAccess();
      if (token.revoked) return problems.tokenRevoked();
      return { ok: true, token };
    },
  };
}

export function isCredentialLength(value: string): boolean {
  // 32 unreserved ASCII characters are 32 bytes; anything else is measured.
  if (value.length === CREDENTIAL_LENGTH && isUnreserved(value)) return true;
  return byteLength(value) === CREDENTIAL_LENGTH;
}
