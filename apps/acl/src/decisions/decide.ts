import { addressInRanges } from '@integrations/contracts';
import { allowsResource, type IntegrationGrants } from '../grants/integration-grants';
import type { RouteMatch } from '../routes/match-route';
import { ANONYMOUS } from '../routes/route-map';

/** Who is calling, as the gateway established it (the OAuth signature is checked before this). */
export type Caller =
  | { kind: 'anonymous' }
  /**
   * `grants` is null when the acl service has never heard of the integration. `clientAddress`: as
   * the gateway saw it, null when it could not tell (for the IP allow-list).
   */
  | { kind: 'integration'; integrationId: string; grants: IntegrationGrants | null; clientAddress?: string | null };

export interface DecisionSettings {
  /** `webapi/webapisecurity/allow_insecure`: "Allow Anonymous Guest Access". */
  allowInsecure: boolean;
  /** What expiries are compared with; absent: the current time. */
  now?: Date;
}

export type AllowReason = 'anonymous-route' | 'guest-access' | 'granted';
/**
 * `suspended`, `expired` and `ip` are the integration's controls (docs/adr/0010); the gateway's
 * usage counting files refusals under these names.
 */
export type DenyReason =
  | 'route-not-found'
  | 'anonymous-caller'
  | 'integration-unknown'
  | 'integration-not-active'
  | 'resource-not-granted'
  | 'suspended'
  | 'expired'
  | 'ip';

/** Magento's REST error body. */
export interface MagentoErrorBody {
  message: string;
  parameters?: Record<string, string>;
}

export type Decision =
  | {
      decision: 'allow';
      status: 200;
      reason: AllowReason;
      routeId: string;
      upstream: string;
      upstreamPath: string;
      resources: readonly string[];
    }
  | {
      decision: 'deny';
      status: 401 | 403 | 404;
      reason: DenyReason;
      routeId: string | null;
      /** Deny never names an upstream, so a caller cannot proxy by mistake. */
      upstream: null;
      upstreamPath: null;
      resources: readonly string[];
      /** For logs only: the route resources the integration lacks. */
      missing?: readonly string[];
      body: MagentoErrorBody;
    };

export const ROUTE_NOT_FOUND_BODY: MagentoErrorBody = Object.freeze({ message: 'Request does not match any route.' });

/** Magento `Webapi\Controller\Rest\RequestValidator`: the same message for 401 and 403. */
export function notAuthorizedBody(resources: readonly string[]): MagentoErrorBody {
  return {
    message: "The consumer isn't authorized to access %resources.",
    parameters: { resources: resources.join(', ') },
  };
}

/**
 * What a partner reads when the integration's own controls refuse it: Magento's REST error shape,
 * saying which control and what to do (the caller's credentials are fine; asking again will not help).
 */
export const SUSPENDED_BODY: MagentoErrorBody = Object.freeze({
  message:
    "This integration is suspended: the store's administrator has paused its access. Calls are refused until it is resumed.",
});
export function expiredBody(expiresAt: string): MagentoErrorBody {
  return {
    message: "This integration's access expired at %expiresAt. Ask the store's administrator to extend it.",
    parameters: { expiresAt },
  };
}
export function ipNotAllowedBody(address: string | null): MagentoErrorBody {
  return {
    message: "Calls from %address are not allowed by this integration's IP allow-list.",
    parameters: { address: address ?? 'an unknown address' },
  };
}

/**
 * Whether the integration's controls refuse its calls whatever the route: suspended, past its
 * expiry (compared here with `now`, not learnt from an event), or called from an address its
 * allow-list does not hold (an unknown address is in no list).
 */
export function controlRefusal(
  grants: Pick<IntegrationGrants, 'suspended' | 'expiresAt' | 'ipAllowList'>,
  now: Date,
  clientAddress: string | null,
): 'suspended' | 'expired' | 'ip' | null {
  if (grants.suspended) return 'suspended';
  if (grants.expiresAt !== undefined && Date.parse(grants.expiresAt) <= now.getTime()) return 'expired';
  if (
    grants.ipAllowList !== undefined &&
    (clientAddress === null || !addressInRanges(clientAddress, grants.ipAllowList))
  )
    return 'ip';
  return null;
}

/**
 * The authorization decision for one request, pure. Order follows Magento:
 * 1. no route -> 404 (never proxied);
 * 1b. (ours) an integration refused by its own controls is refused on every route, `anonymous` and
 *    guest ones included: its credentials must not carry its identity upstream while suspended,
 *    expired or off its allow-list (401 suspended or expired, 403 for the address);
 * 2. an `anonymous` route is open to anyone;
 * 3. a guest route is `anonymous` while Allow Anonymous Guest Access is Yes (Magento rewrites its
 *    resources, so it is open to integrations without the resource too);
 * 4. otherwise an anonymous caller, or an integration that is unknown or not active, is 401;
 * 5. an active integration needs EVERY route resource, else 403.
 */
export function decide(match: RouteMatch | null, caller: Caller, settings: DecisionSettings): Decision {
  if (!match) {
    return deny(404, 'route-not-found', null, [], ROUTE_NOT_FOUND_BODY);
  }
  const { route, upstreamPath } = match;
  const allow = (reason: AllowReason): Decision => ({
    decision: 'allow',
    status: 200,
    reason,
    routeId: route.id,
    upstream: route.upstream,
    upstreamPath,
    resources: route.resources,
  });
  const denyRoute = (status: 401 | 403, reason: Exclude<DenyReason, 'route-not-found'>, missing?: string[]) =>
    deny(status, reason, route.id, route.resources, notAuthorizedBody(route.resources), missing);

  if (caller.kind === 'integration' && caller.grants) {
    const refusal = controlRefusal(caller.grants, settings.now ?? new Date(), caller.clientAddress ?? null);
    switch (refusal) {
      case 'suspended':
        return deny(401, 'suspended', route.id, route.resources, SUSPENDED_BODY);
      case 'expired':
        return deny(401, 'expired', route.id, route.resources, expiredBody(caller.grants.expiresAt!));
      case 'ip':
        return deny(403, 'ip', route.id, route.resources, ipNotAllowedBody(caller.clientAddress ?? null));
      case null:
        break;
      default: {
        const _exhaustive: never = refusal;
        return _exhaustive;
      }
    }
  }
  if (route.resources.includes(ANONYMOUS)) return allow('anonymous-route');
  if (route.guest && settings.allowInsecure) return allow('guest-access');

  switch (caller.kind) {
    case 'anonymous':
      return denyRoute(401, 'anonymous-caller');
    case 'integration': {
      const { grants } = caller;
      if (!grants) return denyRoute(401, 'integration-unknown');
      if (grants.status !== 'active') return denyRoute(401, 'integration-not-active');
      const missing = route.resources.filter((resource) => !allowsResource(grants, resource));
      return missing.length === 0 ? allow('granted') : denyRoute(403, 'resource-not-granted', missing);
    }
    default: {
      const _exhaustive: never = caller;
      return _exhaustive;
    }
  }
}

function deny(
  status: 401 | 403 | 404,
  reason: DenyReason,
  routeId: string | null,
  resources: readonly string[],
  body: MagentoErrorBody,
  missing?: string[],
): Decision {
  return {
    decision: 'deny',
    status,
    reason,
    routeId,
    upstream: null,
    upstreamPath: null,
    resources,
    ...(missing ? { missing } : {}),
    body,
  };
}
