import type { OAuth1FormatErrorCode } from './oauth1.errors';
import { phpUrlencode } from './percent-encoding';

/**
 * Why a request was refused. `problem` is the Magento 2.4 text (sources: `FW/Oauth/Oauth.php`,
 * `I/Model/Oauth/Token/Provider.php`, `I/Model/Oauth/Nonce/Generator.php`); `code` is our stable id.
 * Status follows Magento: 400 for its OauthInputException cases, 401 for Oauth\Exception.
 */
export interface OAuthRejection {
  ok: false;
  status: 400 | 401;
  code: OAuthProblemCode;
  problem: string;
}

export type OAuthProblemCode =
  | OAuth1FormatErrorCode
  | 'OAUTH.VERSION_REJECTED'
  | 'OAUTH.PARAMETER_ABSENT'
  | 'OAUTH.TOKEN_LENGTH_INVALID'
  | 'OAUTH.SIGNATURE_METHOD_REJECTED'
  | 'OAUTH.CONSUMER_KEY_LENGTH_INVALID'
  | 'OAUTH.CONSUMER_KEY_UNKNOWN'
  | 'OAUTH.TIMESTAMP_REFUSED'
  | 'OAUTH.NONCE_REFUSED'
  | 'OAUTH.NONCE_USED'
  | 'OAUTH.CONSUMER_KEY_EXPIRED'
  | 'OAUTH.SIGNATURE_INVALID'
  | 'OAUTH.CONSUMER_TOKEN_MISSING'
  | 'OAUTH.CONSUMER_TOKEN_NOT_VERIFIER'
  | 'OAUTH.TOKEN_UNKNOWN'
  | 'OAUTH.TOKEN_NOT_OWNED'
  | 'OAUTH.TOKEN_USED'
  | 'OAUTH.TOKEN_NOT_ACCESS'
  | 'OAUTH.TOKEN_REVOKED'
  | 'OAUTH.VERIFIER_LENGTH_INVALID'
  | 'OAUTH.VERIFIER_MISMATCH';

const reject = (status: 400 | 401, code: OAuthProblemCode, problem: string): OAuthRejection => ({
  ok: false,
  status,
  code,
  problem,
});

// Client-chosen values echoed back are cut short: a problem text is not a place for payloads.
const echo = (value: string) => (value.length > 64 ? `${value.slice(0, 64)}…` : value);

export const problems = {
  malformed: (code: OAuth1FormatErrorCode, message: string) => reject(400, code, message),
  // Magento 2.0-2.3 said "OAuth version %1 is not supported"; 2.4 says this.
  versionRejected: (version: string) =>
    reject(400, 'OAUTH.VERSION_REJECTED', `The "${echo(version)}" Oauth version isn't supported.`),
  // Magento 2.4 aggregates several absent parameters into "One or more input exceptions have
  // occurred."; naming the first absent one, as earlier versions did, is more useful.
  parameterAbsent: (name: string) =>
    reject(400, 'OAUTH.PARAMETER_ABSENT', `"${name}" is required. Enter and try again.`),
  tokenLength: () =>
    reject(400, 'OAUTH.TOKEN_LENGTH_INVALID', 'The token length is invalid. Check the length and try again.'),
  signatureMethodRejected: (method: string) =>
    reject(400, 'OAUTH.SIGNATURE_METHOD_REJECTED', `Signature method ${echo(method)} is not supported`),
  consumerKeyLength: () => reject(401, 'OAUTH.CONSUMER_KEY_LENGTH_INVALID', 'Consumer key is not the correct length'),
  consumerKeyUnknown: () =>
    reject(401, 'OAUTH.CONSUMER_KEY_UNKNOWN', 'A consumer having the specified key does not exist'),
  // 400 as the reference says. (Magento's own try/catch turns this one into a 401 "An error
  // occurred validating the nonce", an accident we do not copy.)
  timestampRefused: () =>
    reject(400, 'OAUTH.TIMESTAMP_REFUSED', 'Incorrect timestamp value in the oauth_timestamp parameter'),
  // Ours: Magento's column truncates nonces at 32 characters; we refuse absurd ones outright.
  nonceRefused: (maxLength: number) =>
    reject(400, 'OAUTH.NONCE_REFUSED', `The oauth_nonce parameter must be 1 to ${maxLength} characters long`),
  nonceUsed: (consumerId: string) =>
    reject(401, 'OAUTH.NONCE_USED', `The nonce is already being used by the consumer with ID ${consumerId}`),
  consumerKeyExpired: () => reject(401, 'OAUTH.CONSUMER_KEY_EXPIRED', 'Consumer key has expired'),
  signatureInvalid: () => reject(401, 'OAUTH.SIGNATURE_INVALID', 'The signature is invalid. Verify and try again.'),
  consumerTokenMissing: (consumerId: string) =>
    reject(401, 'OAUTH.CONSUMER_TOKEN_MISSING', `A token with consumer ID ${consumerId} does not exist`),
  consumerTokenNotVerifier: () =>
    reject(
      401,
      'OAUTH.CONSUMER_TOKEN_NOT_VERIFIER',
      'Cannot create request token because consumer token is not a verifier token',
    ),
  tokenUnknown: () => reject(401, 'OAUTH.TOKEN_UNKNOWN', 'Specified token does not exist'),
  requestTokenNotOwned: () =>
    reject(401, 'OAUTH.TOKEN_NOT_OWNED', 'Request token is not associated with the specified consumer'),
  tokenNotOwned: () => reject(401, 'OAUTH.TOKEN_NOT_OWNED', 'Token is not associated with the specified consumer'),
  tokenUsed: () => reject(401, 'OAUTH.TOKEN_USED', 'Token is already being used'),
  tokenNotAccess: () => reject(401, 'OAUTH.TOKEN_NOT_ACCESS', 'Token is not an access token'),
  tokenRevoked: () => reject(401, 'OAUTH.TOKEN_REVOKED', 'Access token has been revoked'),
  verifierLength: () => reject(401, 'OAUTH.VERIFIER_LENGTH_INVALID', 'Verifier is not the correct length'),
  verifierMismatch: () => reject(401, 'OAUTH.VERIFIER_MISMATCH', 'Token verifier and verifier token do not match'),
} as const;

/**
 * application/x-www-form-urlencoded body the way Magento writes it (PHP http_build_query:
 * spaces as "+", "~" as %7E), e.g. the token replies `oauth_token=…&oauth_token_secret=…`.
 */
export function formEncode(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${phpUrlencode(name)}=${phpUrlencode(value)}`).join('&');
}

/** The 400/401 body Magento sends: `oauth_problem=<urlencoded problem>`. */
export function formatProblem(problem: string): string {
  return formEncode([['oauth_problem', problem]]);
}
