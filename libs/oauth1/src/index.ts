export { parseAuthorizationHeader, isOAuthAuthorization } from './authorization-header';
export { baseStringUri, normalizeProtocol, splitRequestTarget } from './base-string-uri';
export type { BaseStringUriInput, HttpProtocol } from './base-string-uri';
export { OAuth1FormatError } from './oauth1.errors';
export type { OAuth1FormatErrorCode } from './oauth1.errors';
export { percentEncode, percentDecode, formDecode, parseFormUrlencoded } from './percent-encoding';
export { formEncode, formatProblem, problems } from './problems';
export type { OAuthProblemCode, OAuthRejection } from './problems';
export { randomToken, CREDENTIAL_LENGTH } from './random-token';
export { collectRequestParameters, isFormUrlencoded, protocolParameters } from './request-parameters';
export type { OAuthHttpRequest, ProtocolParameters } from './request-parameters';
export { safeEqual } from './safe-equal';
export {
  isSignatureMethod,
  normalizeParameters,
  requestSignatureBaseString,
  sign,
  signatureBaseString,
  verifySignature,
} from './signature';
export type { SignatureMethod, SignInput, VerifySignatureInput } from './signature';
export { accessTokenPolicy, apiCallPolicy, BASE_REQUIRED_PARAMS, requestTokenPolicy } from './token-policies';
export type {
  NonceStore,
  OAuthConsumerRecord,
  OAuthTokenRecord,
  PolicyContext,
  PolicyOutcome,
  TokenPolicy,
  TokenType,
  VerifyLookups,
} from './token-policies';
export { DEFAULT_MAX_NONCE_LENGTH, DEFAULT_TIMESTAMP_WINDOW_SECONDS, verifyRequest } from './verify-request';
export type { VerifiedRequest, VerifyMode, VerifyOptions, VerifyResult } from './verify-request';
