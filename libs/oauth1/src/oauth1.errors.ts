/**
 * Thrown by the parsing helpers when a request cannot be read as an OAuth 1.0a request at all
 * (malformed header, bad percent-encoding, bad Host). `verifyRequest` turns it into a 400.
 * Messages name the offending parameter at most, never a value: values can be credentials.
 */
export type OAuth1FormatErrorCode =
  | 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'
  | 'OAUTH.NOT_OAUTH_SCHEME'
  | 'OAUTH.MALFORMED_ENCODING'
  | 'OAUTH.DUPLICATE_PROTOCOL_PARAMETER'
  | 'OAUTH.MALFORMED_HOST'
  | 'OAUTH.MALFORMED_REQUEST_TARGET'
  | 'OAUTH.UNSUPPORTED_PROTOCOL';

export class OAuth1FormatError extends Error {
  override readonly name = 'OAuth1FormatError';
  constructor(
    readonly code: OAuth1FormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}
