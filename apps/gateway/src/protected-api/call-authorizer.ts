import type { ApiCallVerdict, SignedCall } from '@integrations/contracts';
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
  ) {}

  /** The outcome of the checks, counted in the caller's usage (a map update, no I/O). */
  async authorize(call: CallToAuthorize): Promise<CallOutcome> {
    const { verdict, outcome } = await this.check(call);
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
    return this.checks.decide({ method: call.method, path: call.normalTarget, integrationId }, call.correlationId);
  }
}
