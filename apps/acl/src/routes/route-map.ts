import {
  ADMIN_ROOT,
  ANONYMOUS_RESOURCE,
  ROUTE_METHODS,
  RouteEntrySchema,
  RouteMapEnvelopeSchema,
  SELF_RESOURCE,
  type RouteMethod,
} from '@integrations/contracts';
import type { AclCatalog } from '../catalog/acl-catalog';
import { readJsonFile } from '../config-files';

/** Magento's special route resources: `anonymous` is open to anyone, `self` needs a customer token. */
export const ANONYMOUS = ANONYMOUS_RESOURCE;
export const SELF = SELF_RESOURCE;

export const HTTP_METHODS = ROUTE_METHODS;
export type HttpMethod = RouteMethod;

export type PathSegment = { kind: 'static'; value: string } | { kind: 'param'; name: string };

/** A validated route, ready to match. */
export interface Route {
  /** `GET /V1/products/:sku`: stable, unique, used in logs and decisions. */
  id: string;
  method: HttpMethod;
  path: string;
  segments: readonly PathSegment[];
  /** Every one is required (Magento `Webapi\Authorization::isAllowed`). */
  resources: readonly string[];
  upstream: string;
  /** Opened to anonymous callers while `webapi/webapisecurity/allow_insecure` is Yes. */
  guest: boolean;
}

export interface RouteMap {
  routes: readonly Route[];
  /** Upstream name -> base URL, resolved from UPSTREAM_<NAME>_URL or the file's defaultUrl. */
  upstreams: Readonly<Record<string, string>>;
}

export class RouteMapError extends Error {
  override readonly name = 'RouteMapError';
  readonly code = 'ACL.ROUTE_MAP_INVALID';
}

const PATH_SEGMENT = /^[A-Za-z0-9_-]+$/;
const PARAM_SEGMENT = /^:[A-Za-z_][A-Za-z0-9_]*$/;
const VERSION_SEGMENT = /^V[0-9]+$/;

/** The environment variable that overrides an upstream's base URL: `commerce` -> UPSTREAM_COMMERCE_URL. */
export function upstreamEnvVariable(name: string): string {
  return `UPSTREAM_${name.toUpperCase()}_URL`;
}

/**
 * Validates a route map against the ACL catalog. Every error names the source and the entry
 * (`routes[12] (GET /V1/orders)`) so an operator who replaced the file can fix it.
 */
export function parseRouteMap(
  json: unknown,
  catalog: AclCatalog,
  env: NodeJS.ProcessEnv = process.env,
  source = 'Route map',
): RouteMap {
  const file = RouteMapEnvelopeSchema.safeParse(json);
  if (!file.success) {
    const problems = file.error.issues.slice(0, 5).map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RouteMapError(
      `${source} is not a valid route map ({"upstreams": {"<name>": {"defaultUrl"}}, "undeclaredResources"?: [...], "routes": [...]}):\n${problems.join('\n')}`,
    );
  }
  const upstreams = resolveUpstreams(file.data.upstreams, env, source);
  const undeclared = new Set(file.data.undeclaredResources);
  for (const resource of undeclared) {
    if (catalog.has(resource) || resource === ADMIN_ROOT || resource === ANONYMOUS || resource === SELF) {
      throw new RouteMapError(
        `${source}: undeclaredResources: "${resource}" is declared (by the ACL catalog, or by Magento itself); remove it from the list.`,
      );
    }
  }
  const used = new Set<string>();

  const routes: Route[] = [];
  const byShape = new Map<string, string>();
  file.data.routes.forEach((raw, index) => {
    const label = describeEntry(raw, index);
    const fail = (message: string): never => {
      throw new RouteMapError(`${source}: ${label}: ${message}`);
    };
    const entry = RouteEntrySchema.safeParse(raw);
    if (!entry.success) {
      fail(entry.error.issues.map((i) => `${i.path.join('.') || 'entry'} ${i.message}`).join('; '));
      return;
    }
    const { method, path, resources, upstream, guest } = entry.data;
    const segments = parsePath(path, fail);
    for (const resource of resources) {
      // The admin root is every Custom selection's (Magento's converter adds it), so a route may need it.
      const known = catalog.has(resource) || resource === ADMIN_ROOT || resource === ANONYMOUS || resource === SELF;
      if (!known && !undeclared.has(resource)) {
        fail(
          `resource "${resource}" is not in the ACL catalog (nor "anonymous", "self", ${ADMIN_ROOT}, or listed under "undeclaredResources").`,
        );
      }
      used.add(resource);
    }
    if (new Set(resources).size !== resources.length) fail('lists a resource twice.');
    const special = resources.filter((r) => r === ANONYMOUS || r === SELF);
    if (special.length > 0 && resources.length > 1) {
      fail(`"${special[0]}" must be the route's only resource.`);
    }
    if (guest && special.length > 0) fail(`a "${special[0]}" route cannot also be a guest route; remove "guest".`);
    if (!(upstream in upstreams)) fail(`upstream "${upstream}" is not declared under "upstreams".`);

    // Two routes that match exactly the same requests: Magento would only ever serve one of them
    // (chosen by the names of their parameters), so the other is a mistake.
    const shape = `${method} ${segments.map((s) => (s.kind === 'static' ? s.value : ':')).join('/')}`;
    const clash = byShape.get(shape);
    if (clash) fail(`matches the same requests as ${clash}.`);
    const id = `${method} ${path}`;
    byShape.set(shape, id);
    routes.push(
      Object.freeze({
        id,
        method,
        path,
        segments: Object.freeze(segments),
        resources: Object.freeze([...resources]),
        upstream,
        guest,
      }),
    );
  });
  const unused = [...undeclared].filter((resource) => !used.has(resource));
  if (unused.length > 0) {
    throw new RouteMapError(
      `${source}: undeclaredResources: no route needs ${unused.map((r) => `"${r}"`).join(', ')}.`,
    );
  }
  return { routes: Object.freeze(routes), upstreams };
}

/** Reads and validates the route map at boot; fails fast naming the file and ACL_ROUTES_FILE. */
export function loadRouteMap(file: string, catalog: AclCatalog, env: NodeJS.ProcessEnv = process.env): RouteMap {
  const { path, json } = readJsonFile(file, 'Route map', 'ACL_ROUTES_FILE');
  return parseRouteMap(json, catalog, env, `Route map file ${path}`);
}

function parsePath(path: string, fail: (message: string) => never): PathSegment[] {
  if (!path.startsWith('/')) fail('path must start with "/" (e.g. /V1/products).');
  const parts = path.slice(1).split('/');
  if (!VERSION_SEGMENT.test(parts[0] ?? '')) {
    fail('path must start with the API version, e.g. /V1/... (it is relative to /rest and /rest/<store>).');
  }
  // Magento only looks at routes whose path starts like the request's `/V1/<word>` (Rest\Config::
  // getRestRoutes), so a parameter there would match nothing but its own literal text.
  if (PARAM_SEGMENT.test(parts[1] ?? ''))
    fail('the segment after the version must be a literal, e.g. /V1/products/:sku.');
  const names = new Set<string>();
  return parts.map((part) => {
    if (PARAM_SEGMENT.test(part)) {
      const name = part.slice(1);
      if (names.has(name)) fail(`path parameter ":${name}" appears twice.`);
      names.add(name);
      return { kind: 'param', name };
    }
    if (!PATH_SEGMENT.test(part)) {
      fail(`path segment "${part}" is neither a literal ([A-Za-z0-9_-]+) nor a parameter (:name).`);
    }
    return { kind: 'static', value: part };
  });
}

function resolveUpstreams(
  declared: Record<string, { defaultUrl: string }>,
  env: NodeJS.ProcessEnv,
  source: string,
): Readonly<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [name, { defaultUrl }] of Object.entries(declared)) {
    const variable = upstreamEnvVariable(name);
    const fromEnv = env[variable];
    const url = fromEnv && fromEnv.length > 0 ? fromEnv : defaultUrl;
    if (!/^https?:\/\/[^/?#]+\/?$/.test(url)) {
      throw new RouteMapError(
        `${source}: upstream "${name}" base URL must be http(s)://host[:port] without a path (from ${fromEnv ? variable : 'defaultUrl'}).`,
      );
    }
    resolved[name] = url.replace(/\/$/, '');
  }
  return Object.freeze(resolved);
}

function describeEntry(raw: unknown, index: number): string {
  const entry = raw as { method?: unknown; path?: unknown } | null;
  const method = typeof entry?.method === 'string' ? entry.method : '?';
  const path = typeof entry?.path === 'string' ? entry.path : '?';
  return `routes[${index}] (${method} ${path})`;
}
