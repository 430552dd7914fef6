import type { GrantsReader } from '../grants/grants.reader';
import type { RouteMatch } from '../routes/match-route';
import { decide, type Caller, type Decision } from './decide';

export interface DecisionRequest {
  method: string;
  /** Raw request target: `/rest/<store>/V1/...` or `/rest/V1/...`, query included. */
  path: string;
  /** null or absent: an anonymous caller. */
  integrationId?: string | null;
}

/** A decision plus, when allowed, the upstream's base URL (resolved from UPSTREAM_<NAME>_URL). */
export type DecisionResponse = Decision & { upstreamUrl: string | null };

export interface DecisionDeps {
  match: (method: string, target: string) => RouteMatch | null;
  grants: Pick<GrantsReader, 'get'>;
  allowInsecure: () => boolean;
  upstreams: Readonly<Record<string, string>>;
}

/** Gathers what decide() needs (route, grants, settings); the decision itself stays pure. */
export class DecisionService {
  constructor(private readonly deps: DecisionDeps) {}

  async decide(request: DecisionRequest): Promise<DecisionResponse> {
    const match = this.deps.match(request.method, request.path);
    const integrationId = request.integrationId ?? null;
    // No route, no database read: unknown paths cost nothing.
    const caller: Caller =
      integrationId === null || !match
        ? { kind: 'anonymous' }
        : { kind: 'integration', integrationId, grants: await this.deps.grants.get(integrationId) };
    const decision = decide(match, caller, { allowInsecure: this.deps.allowInsecure() });
    return { ...decision, upstreamUrl: decision.upstream ? (this.deps.upstreams[decision.upstream] ?? null) : null };
  }
}
