import { z } from 'zod';

/**
 * The REST route map file (`config/routes.json`, `ACL_ROUTES_FILE`): the shape only. The acl service
 * checks what a shape cannot (paths, resources against the ACL tree, routes that overlap); the
 * commerce-api example reads the same file to answer every mapped route.
 */

/** Magento's special route resources: `anonymous` is open to anyone, `self` needs a customer token. */
export const ANONYMOUS_RESOURCE = 'anonymous';
export const SELF_RESOURCE = 'self';

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export const UpstreamNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _');

export const RouteEntrySchema = z.strictObject({
  method: z.enum(ROUTE_METHODS),
  /** Relative to `/rest` and `/rest/<store>`: `/V1/products/:sku`. */
  path: z.string().min(1),
  /** Every one is required (Magento `Webapi\Authorization::isAllowed`). */
  resources: z.array(z.string().min(1)).min(1, 'must list at least one resource (or "anonymous")'),
  upstream: UpstreamNameSchema,
  /** Opened to anonymous callers while "Allow Anonymous Guest Access" is Yes. */
  guest: z.boolean().default(false),
});
export type RouteEntry = z.infer<typeof RouteEntrySchema>;

const envelope = {
  $comment: z.string().optional(),
  upstreams: z.record(UpstreamNameSchema, z.strictObject({ defaultUrl: z.url({ protocol: /^https?$/ }) })),
  /**
   * Resources that routes require but the ACL tree does not declare. Magento's ACL policy allows an
   * undeclared resource only to a role allowed everything, so only "Resource Access = All" grants
   * them. Listed here so that a typo in a route's resource is still an error.
   */
  undeclaredResources: z.array(z.string().min(1)).default([]),
};

/** The whole file, every route checked. */
export const RouteMapFileSchema = z.strictObject({ ...envelope, routes: z.array(RouteEntrySchema).min(1) });
export type RouteMapFile = z.infer<typeof RouteMapFileSchema>;

/** The file with its routes left unchecked, for a reader that checks (and names) them one by one. */
export const RouteMapEnvelopeSchema = z.strictObject({ ...envelope, routes: z.array(z.unknown()).min(1) });
