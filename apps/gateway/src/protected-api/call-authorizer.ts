import type { ApiCallVerdict, MagentoErrorBody, RateLimit, SignedCall } from '@integrations/contracts';
import type { IntegrationLimitVerdict } from '../rate-limit/integration-rate-limits';
import { callOutcome, type CallOutcome } from './call-outcome';
import type { CheckServices } from './check-services.client';
import { isFormUrlencoded } from './form-content';
import { credentialOf, type KnownIntegrations } from './known-integrations';
import { usageOf, type UsageResult } from '../usage/usage-outcome';

/** Where the outcome of each call of an integration is counted (src/usage/call-usage.ts). */
export interface UsageSink {
  record(integrationId: string, result: UsageResult): void;
}

export interface CallToAuthorize {
  method: string;
  /** The raw request target (path + query) as received: what the client signed. */
  target: string;
  /** The normal form of `target` (rest-path.ts): what the acl decides on and the upstream gets. */
  normalTarget: string;
  /** The absolute URL the client signed (signature-url.ts). */
  signedUrl: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The body when it is form-urlencoded (its parameters are signed); otherwise absent. */
  formBody: string | undefined;
  correlationId: string;
  /**
   * The client's address as the rate limits see it (its peer, or the client named by trusted
   * proxies: rate-limit/client-address.ts); null when unknown. The acl checks it against the
   * integration's IP allow-list.
   */
  clientAddress: string | null;
}

/** Each integration's own rate limit, shared by the gateway replicas (rate-limit/integration-rate-limits.ts). */
export interface IntegrationLimiter {
  consume(integrationId: string, limit: RateLimit): Promise<IntegrationLimitVerdict>;
}

const CREDENTIAL_SCHEME = /^\s*(?:oauth|bearer)(?:\s|$)/i;
// RFC 5849 §3.5.2/§3.5.3: the protocol parameters may travel in the body or the query instead.
const OAUTH_PARAMETER = /(?:^|[?&])oauth_(?:signature|consumer_key)=/;

/** Whether the call presents integration credentials at all; without any it is anonymous (guest access). */
export function carriesCredentials(call: Pick<CallToAuthorize, 'authorization' | 'target' | 'formBody'>): boolean {
  if (call.authorization !== undefined && CREDENTIAL_SCHEME.test(call.authorization)) return true;
  const query = call.target.indexOf('?');
  if (query !== -1 && OAUTH_PARAMETER.test(call.target.slice(query))) return true;
  return call.formBody !== undefined && OAUTH_PARAMETER.test(`&${call.formBody}`);
}

/**
 * The protected path's checks: the signature (oauth service) when the call carries credentials,
 * and the route, grants and guest access (acl service), combined by callOutcome.
 *
 * The acl must be asked about the integration oauth verified. When the credential's integration is
 * already known (an immutable fact, known-integrations.ts) both are asked at once; otherwise one
 * after the other. If the verdict names no integration or another one than guessed, the parallel
 * decision is thrown away and the acl asked again: an outcome is only ever built from a decision
 * about the verified caller.
 */
export class CallAuthorizer {
  constructor(
    private readonly checks: CheckServices,
    private readonly known: KnownIntegrations,
    private readonly usage?: UsageSink,
    private readonly limiter?: IntegrationLimiter,
  ) {}

  /**
   * The checks, then the integration's rate limit (a call over it never reaches the upstream); the
   * final outcome is counted in the caller's usage (a map update, no I/O).
   */
  async authorize(call: CallToAuthorize): Promise<CallOutcome> {
    const { verdict, outcome: checked } = await this.check(call);
    const outcome = await this.withinRateLimit(checked);
    const usage = this.usage && usageOf(verdict, outcome);
    if (usage) this.usage!.record(usage.integrationId, usage.result);
    return outcome;
  }

  private async check(call: CallToAuthorize): Promise<{ verdict: ApiCallVerdict | null; outcome: CallOutcome }> {
    if (!carriesCredentials(call)) return { verdict: null, outcome: callOutcome(null, await this.decide(call, null)) };
    const signed: SignedCall = {
      method: call.method,
      url: call.signedUrl,
      authorization: call.authorization ?? null,
      contentType: call.contentType ?? null,
      body: call.formBody !== undefined && isFormUrlencoded(call.contentType) ? call.formBody : null,
    };
    const credential = credentialOf(call);
    const guessed = credential === undefined ? undefined : this.known.get(credential);
    let verdict: ApiCallVerdict;
    if (guessed !== undefined) {
      const [parallelVerdict, decision] = await Promise.all([
        this.checks.verify(signed, call.correlationId),
        this.decide(call, guessed),
      ]);
      verdict = parallelVerdict;
      if (verdict.ok && verdict.integrationId === guessed) return { verdict, outcome: callOutcome(verdict, decision) };
    } else {
      verdict = await this.checks.verify(signed, call.correlationId);
    }
    if (verdict.ok && credential !== undefined) this.known.remember(credential, verdict.integrationId);
    return {
      verdict,
      outcome: callOutcome(verdict, await this.decide(call, verdict.ok ? verdict.integrationId : null)),
    };
  }

  private decide(call: CallToAuthorize, integrationId: string | null) {
    return this.checks.decide(
      { method: call.method, path: call.normalTarget, integrationId, clientAddress: call.clientAddress },
      call.correlationId,
    );
  }

  /**
   * Counts an allowed call of an integration against the limit the acl named. Over it: 429 with
   * Retry-After (reason `rate-limit`, as usage counts refusals); within it, the X-RateLimit-*
   * headers go back with the upstream's answer.
   */
  private async withinRateLimit(outcome: CallOutcome): Promise<CallOutcome> {
    if (outcome.kind !== 'allow' || outcome.integrationId === null || !outcome.rateLimit || !this.limiter)
      return outcome;
    const verdict = await this.limiter.consume(outcome.integrationId, outcome.rateLimit);
    const headers = rateLimitHeaders(verdict);
    if (verdict.allowed) return { ...outcome, headers };
    return {
      kind: 'deny',
      status: 429,
      body: rateLimitedBody(verdict, outcome.rateLimit),
      resources: [],
      routeId: outcome.routeId,
      reason: 'rate-limit',
      headers: { ...headers, 'retry-after': String(verdict.retryAfterSeconds) },
    };
  }
}

/** X-RateLimit-Limit (calls a minute), -Remaining (left in this minute), -Reset (epoch seconds). */
export function rateLimitHeaders(verdict: IntegrationLimitVerdict): Record<string, string> {
  return {
    'x-ratelimit-limit': String(verdict.limit),
    'x-ratelimit-remaining': String(verdict.remaining),
    'x-ratelimit-reset': String(verdict.resetAt),
  };
}

/** Magento's REST error shape, naming the limit that refused and when to try again. */
export function rateLimitedBody(verdict: IntegrationLimitVerdict, limit: RateLimit): MagentoErrorBody {
  const perSecond = verdict.refusedBy === 'second';
  return {
    message: perSecond
      ? 'This integration may make at most %limit calls a second. Try again in %seconds seconds.'
      : 'This integration may make at most %limit calls a minute. Try again in %seconds seconds.',
    parameters: {
      limit: String(perSecond ? limit.burst : limit.requestsPerMinute),
      seconds: String(verdict.retryAfterSeconds),
    },
  };
}
