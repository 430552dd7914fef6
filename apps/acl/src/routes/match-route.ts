import type { Route, RouteMap } from './route-map';

/** A request matched to a route. */
export interface RouteMatch {
  route: Route;
  /** `default` for `/rest/default/V1/...`; null for `/rest/V1/...`. */
  storeCode: string | null;
  /** Decoded path parameters (`ABC%2F10` -> `ABC/10`). */
  params: Readonly<Record<string, string>>;
  /**
   * What to request from the upstream: the caller's raw path and query, byte for byte (an encoded
   * slash stays encoded), always under `/rest`.
   */
  upstreamPath: string;
}

const STORE_CODE = /^[a-z0-9_]+$/;
const VERSION = /^V[0-9]+$/;
/** Longer than any real REST path; a cheap guard before splitting. */
const MAX_TARGET_LENGTH = 8192;

/**
 * Compiles the route map into a matcher over RAW request targets (`/rest/default/V1/products/ABC%2F10?x=1`).
 * Matching happens on the raw path, segment by segment, so an encoded slash stays inside its segment
 * (Magento issue #37913 is what happens otherwise).
 *
 * When several routes match, the one Magento 2.4 would serve wins, whatever the file order:
 * `Rest\Config::getRestRoutes` returns the route whose path equals the request's outright, else every
 * route of the method sorted by path (`ksort(SORT_STRING)`, byte order), and `Rest\Router::match`
 * keeps the LAST that matches. Since `:` sorts below letters, a literal segment beats a parameter
 * at the first place they differ (`/V1/products/types` over `/V1/products/:sku`, `/V1/carts/mine/items`
 * over `/V1/carts/:cartId/items`).
 */
export function createRouteMatcher(map: RouteMap): (method: string, target: string) => RouteMatch | null {
  const index = new Map<string, Route[]>();
  for (const route of map.routes) {
    const key = `${route.method} ${route.segments.length}`;
    index.set(key, [...(index.get(key) ?? []), route]);
  }
  for (const candidates of index.values()) candidates.sort(byMagentoPrecedence);

  return (method, target) => {
    const request = splitTarget(target);
    if (!request) return null;
    const candidates = index.get(`${method.toUpperCase()} ${request.segments.length}`);
    if (!candidates) return null;
    for (const route of candidates) {
      const params = matchSegments(route, request.segments);
      if (params) {
        return { route, storeCode: request.storeCode, params, upstreamPath: request.upstreamPath };
      }
    }
    return null;
  };
}

interface SplitTarget {
  storeCode: string | null;
  /** Raw segments from the API version on: ['V1', 'products', 'ABC%2F10']. */
  segments: string[];
  upstreamPath: string;
}

/**
 * Accepts `/rest/V1/...`, `/rest/<store>/V1/...` and (from callers that already stripped the
 * prefix) `/V1/...`. Anything an upstream might normalise into a different path is refused here,
 * so what we authorise is what the upstream serves: dot segments (also percent-encoded), empty
 * segments (but for one trailing slash), backslashes, control characters and malformed
 * percent-encoding.
 */
function splitTarget(target: string): SplitTarget | null {
  if (target.length === 0 || target.length > MAX_TARGET_LENGTH || target[0] !== '/') return null;
  const queryAt = target.search(/[?#]/);
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? '' : target.slice(queryAt).split('#')[0];
  // Only RFC 3986 path characters; no `\` (some servers read it as `/`), spaces or controls.
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/.test(path)) return null;

  const parts = path.slice(1).split('/');
  let storeCode: string | null = null;
  let apiParts: string[];
  if (parts[0] === 'rest') {
    if (parts[1] !== undefined && VERSION.test(parts[1])) {
      apiParts = parts.slice(1);
    } else if (
      parts[1] !== undefined &&
      STORE_CODE.test(parts[1]) &&
      parts[2] !== undefined &&
      VERSION.test(parts[2])
    ) {
      storeCode = parts[1];
      apiParts = parts.slice(2);
    } else {
      return null;
    }
  } else if (parts[0] !== undefined && VERSION.test(parts[0])) {
    apiParts = parts;
  } else {
    return null;
  }

  const upstreamPath = `/rest${storeCode ? `/${storeCode}` : ''}/${apiParts.join('/')}${query}`;
  // One trailing slash is ignored, as Magento does (its Route::match trims the path); the upstream
  // still gets it. Magento declares some routes with one (`POST /V1/carts/`).
  const segments = apiParts.length > 1 && apiParts[apiParts.length - 1] === '' ? apiParts.slice(0, -1) : apiParts;
  for (const part of segments) {
    if (part.length === 0) return null;
    const decoded = safeDecode(part);
    // `..%2F..%2Forders` is one segment here, but an upstream that decodes before routing would
    // walk up the path: refuse dot segments inside a decoded segment too (`\\` counts as `/`).
    if (decoded === null || decoded.split(/[/\\]/).some((piece) => piece === '.' || piece === '..')) return null;
  }
  return { storeCode, segments, upstreamPath };
}

function matchSegments(route: Route, segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const expected = route.segments[i];
    const actual = segments[i];
    if (expected.kind === 'static') {
      if (actual !== expected.value) return null;
    } else {
      // Already checked by splitTarget.
      params[expected.name] = safeDecode(actual) as string;
    }
  }
  return params;
}

/**
 * Magento's choice, as an order to try candidates in: a route without parameters first (it can only
 * match a request equal to its path: Magento's outright match), then by path, highest byte order
 * first (Magento keeps the last match of its ascending sort).
 */
function byMagentoPrecedence(a: Route, b: Route): number {
  const literalA = a.segments.every((s) => s.kind === 'static');
  const literalB = b.segments.every((s) => s.kind === 'static');
  if (literalA !== literalB) return literalA ? -1 : 1;
  return a.path < b.path ? 1 : a.path > b.path ? -1 : 0;
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
