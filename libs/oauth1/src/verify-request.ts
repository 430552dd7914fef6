import { OAuth1FormatError } from './oauth1.errors';
import { type OAuthRejection, problems } from './problems';
import {
  collectRequestParameters,
  type OAuthHttpRequest,
  type ProtocolParameters,
  protocolParameters,
} from './request-parameters';
import { requestSignatureBaseString, type SignatureMethod, verifySignature } from './signature';
import {
  accessTokenPolicy,
  apiCallPolicy,
  isCredentialLength,
  type OAuthConsumerRecord,
  type OAuthTokenRecord,
  requestTokenPolicy,
  type TokenPolicy,
  type VerifyLookups,
} from './token-policies';

export type VerifyMode = 'request-token' | 'access-token' | 'api-call';

export interface VerifyOptions<C extends OAuthConsumerRecord, T extends OAuthTokenRecord> {
  /** Which call this is; a custom TokenPolicy expresses anything the three modes do not. */
  mode: VerifyMode | TokenPolicy<C, T>;
  /** HMAC-SHA256 is always accepted; HMAC-SHA1 only when this is true (Magento 2.4.4+ refuses it). */
  allowHmacSha1?: boolean;
  /**
   * Accepted clock difference, in seconds, in BOTH directions (default 600). Magento only bounds
   * the future (600 s) and accepts any past timestamp; with nonces purged after a while, that lets
   * an old captured request be replayed. The nonce store must keep nonces at least this long.
   */
  timestampWindowSeconds?: number;
  /** Longest accepted oauth_nonce (default 128; Magento's column holds 32, common clients send up to 44). */
  maxNonceLength?: number;
  /** Check 7, Magento's consumer expiry (`oauth/consumer/expiration_period`); pass it for request-token calls. */
  isConsumerExpired?: (consumer: C, nowSeconds: number) => boolean;
  now?: Date;
}

export interface VerifiedRequest<C, T> {
  ok: true;
  consumer: C;
  /** The token the policy settled on: the verifier row (request-token), the request token
   *  (access-token) or the access token (api-call). */
  token: T | null;
  params: ProtocolParameters;
  signatureMethod: SignatureMethod;
  /** Which consumer secret signed: the current one, or the previous one during a rotation's overlap. */
  consumerSecret: 'current' | 'previous';
}

export type VerifyResult<C, T> = VerifiedRequest<C, T> | OAuthRejection;

export const DEFAULT_TIMESTAMP_WINDOW_SECONDS = 600;
export const DEFAULT_MAX_NONCE_LENGTH = 128;

/**
 * Verifies an OAuth 1.0a request with Magento's checks in Magento's order
 * (`FW/Oauth/Oauth.php::_validateProtocolParams` then the token provider):
 *
 *  0. the request can be read at all (header syntax, percent-encoding, Host)   400
 *  1. oauth_version, if sent, is "1.0"                                          400
 *  2. the required protocol parameters are present                              400
 *  3. oauth_token, if sent, is 32 characters                                    400
 *  4. the signature method is accepted                                          400
 *  5. the consumer key is 32 characters (401) and known (401)
 *  6. the timestamp is inside the window (400) and the nonce is new (401); the nonce is claimed here,
 *     before the signature, as Magento does
 *  7. options.isConsumerExpired                                                 401
 *  -  the mode's token checks that Magento runs before the signature           401
 *  8. the signature (the consumer's current secret, else its previous one while  401
 *     a rotation's overlap lasts)
 *  9. the mode's checks that Magento runs after the signature                  401
 *
 * Errors from the lookups propagate: they are the caller's 500.
 */
export async function verifyRequest<C extends OAuthConsumerRecord, T extends OAuthTokenRecord>(
  request: OAuthHttpRequest,
  lookups: VerifyLookups<C, T>,
  options: VerifyOptions<C, T>,
): Promise<VerifyResult<C, T>> {
  let params: ProtocolParameters;
  let baseString: string;
  try {
    const pairs = collectRequestParameters(request);
    params = protocolParameters(pairs);
    baseString = requestSignatureBaseString(request, pairs);
  } catch (error) {
    if (error instanceof OAuth1FormatError) return problems.malformed(error.code, error.message);
    throw error;
  }
  const policy = resolvePolicy(options.mode);

  // 1
  if ('oauth_version' in params && params.oauth_version !== '1.0') {
    return problems.versionRejected(params.oauth_version);
  }
  // 2
  for (const name of policy.requiredParams) {
    if (!(name in params)) return problems.parameterAbsent(name);
  }
  // 3
  if ('oauth_token' in params && !isCredentialLength(params.oauth_token)) return problems.tokenLength();
  // 4
  const signatureMethod = params.oauth_signature_method;
  if (!(signatureMethod === 'HMAC-SHA256' || (signatureMethod === 'HMAC-SHA1' && options.allowHmacSha1 === true))) {
    return problems.signatureMethodRejected(signatureMethod);
  }
  // 5
  const consumerKey = params.oauth_consumer_key;
  if (!isCredentialLength(consumerKey)) return problems.consumerKeyLength();
  const consumer = await lookups.findConsumer(consumerKey);
  if (!consumer) return problems.consumerKeyUnknown();
  // 6
  const nowMs = options.now ? options.now.getTime() : Date.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  const window = options.timestampWindowSeconds ?? DEFAULT_TIMESTAMP_WINDOW_SECONDS;
  const timestamp = parseTimestamp(params.oauth_timestamp);
  if (timestamp === undefined || timestamp > nowSeconds + window || timestamp < nowSeconds - window) {
    return problems.timestampRefused();
  }
  const nonce = params.oauth_nonce;
  const maxNonceLength = options.maxNonceLength ?? DEFAULT_MAX_NONCE_LENGTH;
  if (nonce.length === 0 || nonce.length > maxNonceLength) return problems.nonceRefused(maxNonceLength);
  if (!(await lookups.nonceStore.claim(consumer.id, nonce, timestamp))) return problems.nonceUsed(consumer.id);
  // 7
  if (options.isConsumerExpired?.(consumer, nowSeconds)) return problems.consumerKeyExpired();

  const context = { params, consumer, lookups };
  const before = await policy.beforeSignature(context);
  if (!before.ok) return before;
  // 8
  const signedWith = (consumerSecret: string) =>
    verifySignature({
      method: signatureMethod,
      baseString,
      consumerSecret,
      tokenSecret: before.token?.secret,
      signature: params.oauth_signature,
    });
  let consumerSecret: 'current' | 'previous' = 'current';
  if (!signedWith(consumer.secret)) {
    const previous = consumer.previousSecret;
    const overlapping = previous && previous.expiresAt.getTime() > nowMs;
    if (!overlapping || !signedWith(previous.secret)) return problems.signatureInvalid();
    consumerSecret = 'previous';
  }
  // 9
  const after = policy.afterSignature ? await policy.afterSignature({ ...context, token: before.token }) : before;
  if (!after.ok) return after;

  return { ok: true, consumer, token: after.token, params, signatureMethod, consumerSecret };
}

// The built-in policies hold no state; their type parameters exist only at compile time.
type AnyPolicy = TokenPolicy<OAuthConsumerRecord, OAuthTokenRecord>;
const BUILT_IN: Record<VerifyMode, AnyPolicy> = {
  'request-token': requestTokenPolicy(),
  'access-token': accessTokenPolicy(),
  'api-call': apiCallPolicy(),
};

function resolvePolicy<C extends OAuthConsumerRecord, T extends OAuthTokenRecord>(
  mode: VerifyMode | TokenPolicy<C, T>,
): TokenPolicy<C, T> {
  if (typeof mode !== 'string') return mode;
  switch (mode) {
    case 'request-token':
    case 'access-token':
    case 'api-call':
      return BUILT_IN[mode] as unknown as TokenPolicy<C, T>;
    default: {
      const _exhaustive: never = mode;
      throw new Error(`Unknown verification mode ${String(_exhaustive)}`);
    }
  }
}

/** Decimal seconds since the epoch, > 0 (Magento: `(int)$timestamp <= 0` is refused). */
function parseTimestamp(value: string): number | undefined {
  if (!/^[0-9]{1,15}$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds > 0 ? seconds : undefined;
}
