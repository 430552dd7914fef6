import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { RouteMapFileSchema, type RouteEntry } from '@integrations/contracts';

/** A mapped route the stand-in answers, and the parameters a request gave it. */
export interface RouteHit {
  /** `GET /V1/products/:sku`, as the acl names it. */
  id: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

/** The route map the acl enforces (`config/routes.json`), so the stand-in answers what gets through. */
export const DEFAULT_ROUTES_FILE = 'config/routes.json';

/**
 * Reads the route map and keeps the routes of the `commerce` upstream. A relative path is taken from
 * the working directory, then from the repository root (tests and nx start elsewhere).
 */
export function loadRouteTable(file = DEFAULT_ROUTES_FILE): readonly RouteEntry[] {
  const fromCwd = resolve(file);
  const fromRepo = resolve(__dirname, '../../..', file);
  const path = isAbsolute(file) || existsSync(fromCwd) || !existsSync(fromRepo) ? fromCwd : fromRepo;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `commerce-api: cannot read the route map ${path} (COMMERCE_API_ROUTES_FILE): ${(error as Error).message}`,
    );
  }
  const parsed = RouteMapFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`commerce-api: ${path} is not a route map: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data.routes.filter((route) => route.upstream === 'commerce');
}

/**
 * Matches `method` and the raw segments after `/V1` as Magento 2.4 does (the acl's rule too): a route
 * equal to the request outright, else the highest path in byte order among those that match.
 */
export function createRouteTable(
  routes: readonly RouteEntry[],
): (method: string, segments: string[]) => RouteHit | null {
  const compiled = routes
    .map((route) => ({
      id: `${route.method} ${route.path}`,
      method: route.method,
      path: route.path,
      parts: route.path.split('/').slice(2),
    }))
    .sort((a, b) => {
      const literalA = a.parts.every((p) => !p.startsWith(':'));
      const literalB = b.parts.every((p) => !p.startsWith(':'));
      if (literalA !== literalB) return literalA ? -1 : 1;
      return a.path < b.path ? 1 : a.path > b.path ? -1 : 0;
    });
  return (method, segments) => {
    for (const route of compiled) {
      if (route.method !== method || route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.parts.every((part, i) => {
        if (!part.startsWith(':')) return part === segments[i];
        params[part.slice(1)] = decodeURIComponent(segments[i]);
        return true;
      });
      if (matches) return { id: route.id, params };
    }
    return null;
  };
}
