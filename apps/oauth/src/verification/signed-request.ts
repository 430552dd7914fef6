import type { SignedCall } from '@integrations/contracts';
import { problems, type OAuthHttpRequest, type OAuthRejection } from '@integrations/oauth1';

const ABSOLUTE_URL = /^(https?):\/\/([^/?#]+)(.*)$/i;

/**
 * A forwarded call (SignedCallSchema: the gateway's copy of what the client sent, untouched) as
 * libs/oauth1 reads it, or a 400 when its URL is not absolute http(s).
 */
export function toOAuthHttpRequest(request: SignedCall): OAuthHttpRequest | OAuthRejection {
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
