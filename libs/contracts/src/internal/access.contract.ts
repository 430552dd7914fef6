import { z } from 'zod';
import {
  Instant,
  IntegrationId,
  IpAllowList,
  RateLimit,
  ResourceAccess,
  ResourceIds,
} from '../integration/integration-fields';
import { intersectIpRanges, ipRangesCover } from './ip-ranges';

/**
 * The access state of an integration at a stream version: what the acl service enforces on the
 * signed path (docs/adr/0006 §2). The registry computes it from its aggregate and pushes it.
 */
export const IntegrationStatusSchema = z.enum(['inactive', 'active', 'reset', 'deleted']);
export type AccessStatus = z.infer<typeof IntegrationStatusSchema>;

export const IntegrationAccessSchema = z.strictObject({
  integrationId: IntegrationId,
  /** The registry stream version this state is the result of. */
  version: z.number().int().positive(),
  status: IntegrationStatusSchema,
  resourceAccess: ResourceAccess,
  /** The resources chosen (Custom); [] for All. */
  resources: ResourceIds,
  // The integration's controls (docs/adr/0010). Each is absent when not in use, so the snapshot of
  // an integration without controls is what it was before they existed.
  /** Every call is refused, whatever the status (the status is kept for when it is resumed). */
  suspended: z.literal(true).optional(),
  /** Calls are refused from this instant on: the acl compares the time itself. */
  expiresAt: Instant.optional(),
  /** Only calls from these CIDR ranges are accepted; [] (after a meet): from nowhere. */
  ipAllowList: IpAllowList.optional(),
  /** Its own rate limit, counted by the gateways; absent: the platform default. */
  rateLimit: RateLimit.optional(),
});
export type IntegrationAccess = z.infer<typeof IntegrationAccessSchema>;

/**
 * `PUT /access/{integrationId}/holds/{commandId}` (acl): before the registry commits a command that
 * narrows access. `access` is the state the command will produce at `access.version`.
 */
export const PlaceHoldRequestSchema = z.strictObject({ access: IntegrationAccessSchema });
export type PlaceHoldRequest = z.infer<typeof PlaceHoldRequestSchema>;

/**
 * `PUT /access/{integrationId}/snapshots/{version}` (acl): after the registry committed. Releases
 * the command's hold, if it placed one.
 */
export const PublishSnapshotRequestSchema = z.strictObject({
  access: IntegrationAccessSchema,
  releaseHold: z.string().min(1).max(100).optional(),
});
export type PublishSnapshotRequest = z.infer<typeof PublishSnapshotRequestSchema>;

/** Command ids are UUIDs; they name a hold. */
export const CommandIdSchema = z.string().regex(/^[0-9a-f-]{36}$/i, 'must be a UUID');

/**
 * Whether `after` takes anything away from `before`: a narrowing command holds before it commits.
 * Status: only `active` grants anything, and nothing while suspended. Controls: a suspension, an
 * earlier (or new) expiry, an allow-list that does not cover the previous one. A lower rate limit is
 * not one: the gateways count, and the next snapshot carries it. Resources: `all` covers
 * everything; custom sets compare by inclusion (a granted parent does not grant its children, so ids
 * compare as they are).
 */
export function narrowsAccess(before: IntegrationAccess | null, after: IntegrationAccess): boolean {
  if (!before || before.status !== 'active' || before.suspended) return false; // nothing to take away
  if (after.status !== 'active' || after.suspended) return true;
  if (after.expiresAt !== undefined && (before.expiresAt === undefined || after.expiresAt < before.expiresAt))
    return true;
  if (after.ipAllowList !== undefined && !ipRangesCover(after.ipAllowList, before.ipAllowList ?? ['0.0.0.0/0', '::/0']))
    return true;
  if (after.resourceAccess === 'all') return false;
  if (before.resourceAccess === 'all') return true;
  const kept = new Set(after.resources);
  return before.resources.some((resource) => !kept.has(resource));
}

/**
 * What two states both allow: active only if both are, suspended if either is, the earlier expiry,
 * the addresses both allow-lists accept, resources the intersection; the rate limit is b's (the
 * newer). The acl enforces this while a hold is in place (docs/adr/0006 §2).
 */
export function meetAccess(a: IntegrationAccess, b: IntegrationAccess): IntegrationAccess {
  // Active only if both are; otherwise the status that refuses (b's, the newer, when both do).
  const status = b.status !== 'active' ? b.status : a.status;
  const version = Math.max(a.version, b.version);
  const controls = meetControls(a, b);
  if (a.resourceAccess === 'all' && b.resourceAccess === 'all')
    return { integrationId: a.integrationId, version, status, resourceAccess: 'all', resources: [], ...controls };
  if (a.resourceAccess === 'all') return { ...withoutControls(b), version, status, ...controls };
  if (b.resourceAccess === 'all') return { ...withoutControls(a), version, status, ...controls };
  const inB = new Set(b.resources);
  return {
    integrationId: a.integrationId,
    version,
    status,
    resourceAccess: 'custom',
    resources: a.resources.filter((resource) => inB.has(resource)),
    ...controls,
  };
}

type Controls = Pick<IntegrationAccess, 'suspended' | 'expiresAt' | 'ipAllowList' | 'rateLimit'>;

function meetControls(a: IntegrationAccess, b: IntegrationAccess): Controls {
  const controls: Controls = {};
  if (a.suspended || b.suspended) controls.suspended = true;
  const expiries = [a.expiresAt, b.expiresAt].filter((at): at is string => at !== undefined).sort();
  if (expiries.length > 0) controls.expiresAt = expiries[0];
  if (a.ipAllowList !== undefined && b.ipAllowList !== undefined)
    controls.ipAllowList = intersectIpRanges(a.ipAllowList, b.ipAllowList);
  else if (a.ipAllowList !== undefined || b.ipAllowList !== undefined)
    controls.ipAllowList = a.ipAllowList ?? b.ipAllowList;
  if (b.rateLimit !== undefined) controls.rateLimit = b.rateLimit;
  return controls;
}

function withoutControls(access: IntegrationAccess): IntegrationAccess {
  const { suspended: _s, expiresAt: _e, ipAllowList: _i, rateLimit: _r, ...rest } = access;
  return rest;
}
