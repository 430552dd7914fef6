import { problems, type OAuthHttpRequest, type OAuthRejection } from '@integrations/oauth1';
import { z } from 'zod';

/**
 * What the gateway forwards of a request it received, untouched: the method, the URL the client
 * signed (public base URL + the raw path and query exactly as received), the Authorization and
 * Content-Type headers, and the raw body (only a form-urlencoded body is signed).
 */
export const signedRequestSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method'),
  url: z.string().min(1).max(16_384),
  authorization: z.string().max(16_384).nullish(),
  contentType: z.string().max(1_024).nullish(),
  body: z.string().max(1_048_576).nullish(),
});
export type SignedRequest = z.infer<typeof signedRequestSchema>;

const ABSOLUTE_URL = /^(https?):\/\/([^/?#]+)(.*)$/i;

/** The forwarded request as libs/oauth1 reads it, or a 400 when its URL is not absolute http(s). */
export function toOAuthHttpRequest(request: SignedRequest): OAuthHttpRequest | OAuthRejection {
  const match = ABSOLUTE_URL.exec(request.url);
  if (!match) {
    return problems.malformed(
      'OAUTH.MALFORMED_REQUEST_TARGET',
      'The request URL must be an absolute http or https URL',
    );
  }
  const [, protocol, host, target] = match;
  return {
    method: request.method.toUpperCase(),
    url: target === '' ? '/' : target,
    protocol,
    headers: {
      ...(request.authorization ? { authorization: request.authorization } : {}),
      ...(request.contentType ? { contentType: request.contentType } : {}),
      host,
    },
    ...(typeof request.body === 'string' ? { formBody: request.body } : {}),
  };
}
