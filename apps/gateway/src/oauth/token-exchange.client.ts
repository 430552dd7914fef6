import type { Agent } from 'undici';
import {
  type ForwardedTokenRequest,
  relayedReply,
  type TokenReply,
  type TokenStep,
  UNAVAILABLE_REPLY,
  UNCHECKABLE_REPLY,
} from './token-exchange.request';

const VERIFY_TIMEOUT_MS = 5_000;

export interface TokenExchangeOutcome {
  reply: TokenReply;
  /** Set when the oauth service could not answer: what went wrong, for the log. */
  failure?: string;
}

/**
 * Forwards the partner's token requests to the oauth service (`POST /oauth/verify/token-request|
 * token-access`) over keep-alive connections and turns its answer into the reply to relay. Never
 * throws: a service that cannot answer becomes a 503 for the partner.
 */
export class TokenExchangeClient {
  private readonly origin: string;
  private readonly basePath: string;

  constructor(
    oauthUrl: string,
    private readonly agent: Agent,
  ) {
    // The base URL may carry a path prefix (an internal ingress).
    const url = new URL(oauthUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
  }

  async exchange(
    step: TokenStep,
    request: ForwardedTokenRequest,
    correlationId: string,
  ): Promise<TokenExchangeOutcome> {
    let response;
    try {
      response = await this.agent.request({
        origin: this.origin,
        path: `${this.basePath}/oauth/verify/${step}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-correlation-id': correlationId },
        body: JSON.stringify(request),
        headersTimeout: VERIFY_TIMEOUT_MS,
        bodyTimeout: VERIFY_TIMEOUT_MS,
      });
    } catch (error) {
      return { reply: UNAVAILABLE_REPLY, failure: (error as { code?: string }).code ?? (error as Error).name };
    }
    if (response.statusCode !== 200) {
      await response.body.dump().catch(() => undefined);
      const failure = `HTTP ${response.statusCode}`;
      return { reply: response.statusCode === 400 ? UNCHECKABLE_REPLY : UNAVAILABLE_REPLY, failure };
    }
    let answer: unknown;
    try {
      answer = await response.body.json();
    } catch (error) {
      return { reply: UNAVAILABLE_REPLY, failure: (error as { code?: string }).code ?? 'invalid JSON' };
    }
    const reply = relayedReply(answer);
    return reply ? { reply } : { reply: UNAVAILABLE_REPLY, failure: 'unexpected answer shape' };
  }
}
