import { Agent } from 'undici';
import type { AclDecision, ApiCallVerdict, DecisionRequest, SignedCall } from './protected-api.types';

/** The oauth or acl service could not give an answer: the call is refused (503), never proxied. */
export class CheckUnavailableError extends Error {
  override readonly name = 'CheckUnavailableError';
  constructor(
    readonly service: 'oauth' | 'acl',
    /** The service's HTTP status, or the transport error code. */
    readonly reason: string,
    /** A 400 from the service: the client's request cannot be checked as sent (e.g. a URL too long). */
    readonly clientFault = false,
  ) {
    super(`${service} check failed: ${reason}`);
  }
}

const CHECK_TIMEOUT_MS = 5_000;

interface Endpoint {
  origin: string;
  path: string;
}

/** A base URL may carry a path prefix (behind an internal ingress). */
function endpoint(baseUrl: string, path: string): Endpoint {
  const url = new URL(baseUrl);
  return { origin: url.origin, path: `${url.pathname.replace(/\/+$/, '')}${path}` };
}

/**
 * The two checks of the hot path, over keep-alive connections (one undici Agent, pooled per
 * origin): the oauth service verifies the signature, the acl service decides. JSON in, JSON out;
 * anything but a 200 is a CheckUnavailableError.
 */
export class CheckServicesClient {
  private readonly oauth: Endpoint;
  private readonly acl: Endpoint;

  constructor(
    oauthUrl: string,
    aclUrl: string,
    private readonly agent: Agent,
  ) {
    this.oauth = endpoint(oauthUrl, '/oauth/verify/api-call');
    this.acl = endpoint(aclUrl, '/decisions');
  }

  verify(call: SignedCall, correlationId: string): Promise<ApiCallVerdict> {
    return this.post<ApiCallVerdict>('oauth', this.oauth, call, correlationId);
  }

  decide(request: DecisionRequest, correlationId: string): Promise<AclDecision> {
    return this.post<AclDecision>('acl', this.acl, request, correlationId);
  }

  private async post<T>(
    service: 'oauth' | 'acl',
    { origin, path }: Endpoint,
    payload: unknown,
    correlationId: string,
  ): Promise<T> {
    let response;
    try {
      response = await this.agent.request({
        origin,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-correlation-id': correlationId },
        body: JSON.stringify(payload),
        headersTimeout: CHECK_TIMEOUT_MS,
        bodyTimeout: CHECK_TIMEOUT_MS,
      });
    } catch (error) {
      throw new CheckUnavailableError(service, (error as { code?: string }).code ?? (error as Error).name);
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new CheckUnavailableError(service, `HTTP ${response.statusCode}`, response.statusCode === 400);
    }
    try {
      return (await response.body.json()) as T;
    } catch (error) {
      throw new CheckUnavailableError(service, (error as { code?: string }).code ?? 'invalid JSON');
    }
  }
}
