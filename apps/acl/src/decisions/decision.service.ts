import type { RateLimit } from '@integrations/contracts';
import type { IntegrationGrants } from '../grants/integration-grants';
import type { RouteMatch } from '../routes/match-route';
import { decide, type Caller, type Decision } from './decide';

export interface DecisionRequest {
  method: string;
  /** Raw request target: `/rest/<store>/V1/...` or `/rest/V1/...`, query included. */
  path: string;
  /** null or absent: an anonymous caller. */
  integrationId?: string | null;
  /**
   * The caller's address (IP allow-list); null: unknown. Present, even null: the caller reads
   * `rateLimit` in allowed answers (decision.contract.ts).
   */
  clientAddress?: string | null;
}

/**
 * A decision plus, when allowed, the upstream's base URL (resolved from UPSTREAM_<NAME>_URL), and
 * for an integration's call the rate limit the gateway counts it against (null: none).
 */
export type DecisionResponse = Decision & { upstreamUrl: string | null; rateLimit?: RateLimit | null };

export interface DecisionDeps {
  match: (method: string, target: string) => RouteMatch | null;
  /** Effective access by integration id, from a cache valid as of the last `fresh()`. */
  grants: { get(integrationId: string): Promise<IntegrationGrants | null> };
  /** Resolves once the cache is valid as of now (a change-signal read that started after the call). */
  fresh: () => Promise<void>;
  allowInsecure: () => boolean;
  /** The platform default for integrations without a limit of their own (settings); null: none. */
  defaultRateLimit: () => RateLimit | null;
  upstreams: Readonly<Record<string, string>>;
  now?: () => Date;
}

/** Gathers what decide() needs (route, access, settings); the decision itself stays pure. */
export class DecisionService {
  constructor(private readonly deps: DecisionDeps) {}

  async decide(request: DecisionRequest): Promise<DecisionResponse> {
    const [decision] = await this.decideBatch([request]);
    return decision;
  }

  /**
   * Decisions in request order. One change-signal read for the whole batch: it started after the
   * batch arrived, so every call in it sees every access change whose writer replied before.
   */
  async decideBatch(requests: readonly DecisionRequest[]): Promise<DecisionResponse[]> {
    const matches = requests.map((request) => this.deps.match(request.method, request.path));
    // No route, no access read: unknown paths cost nothing.
    const callers = requests.map((request, i) => (matches[i] ? (request.integrationId ?? null) : null));
    if (callers.some((integrationId) => integrationId !== null)) await this.deps.fresh();
    const grants = await Promise.all(
      callers.map((integrationId) => (integrationId === null ? null : this.deps.grants.get(integrationId))),
    );
    const settings = { allowInsecure: this.deps.allowInsecure(), now: this.deps.now?.() ?? new Date() };
    const defaultRateLimit = this.deps.defaultRateLimit();
    return requests.map((request, i) => {
      const integrationId = callers[i];
      const clientAddress = request.clientAddress ?? null;
      const caller: Caller =
        integrationId === null
          ? { kind: 'anonymous' }
          : { kind: 'integration', integrationId, grants: grants[i], clientAddress };
      const decision = decide(matches[i], caller, settings);
      const response: DecisionResponse = {
        ...decision,
        upstreamUrl: decision.upstream ? (this.deps.upstreams[decision.upstream] ?? null) : null,
      };
      // Only to a caller that knows the field (it sent `clientAddress`), and only for an integration.
      if (decision.decision === 'allow' && request.clientAddress !== undefined && grants[i])
        response.rateLimit = grants[i]!.rateLimit ?? defaultRateLimit;
      return response;
    });
  }
}
