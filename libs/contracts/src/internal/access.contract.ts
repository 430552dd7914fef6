import { z } from 'zod';
import { IntegrationId, ResourceAccess, ResourceIds } from '../integration/integration-fields';

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
 * Status: only `active` grants anything. Resources: `all` covers everything; custom sets compare by
 * inclusion (a granted parent does not grant its children, so ids compare as they are).
 */
export function narrowsAccess(before: IntegrationAccess | null, after: IntegrationAccess): boolean {
  if (!before || before.status !== 'active') return false; // nothing to take away
  if (after.status !== 'active') return true;
  if (after.resourceAccess === 'all') return false;
  if (before.resourceAccess === 'all') return true;
  const kept = new Set(after.resources);
  return before.resources.some((resource) => !kept.has(resource));
}

/**
 * What two states both allow: active only if both are; resources the intersection. The acl
 * enforces this while a hold is in place (docs/adr/0006 §2).
 */
export function meetAccess(a: IntegrationAccess, b: IntegrationAccess): IntegrationAccess {
  // Active only if both are; otherwise the status that refuses (b's, the newer, when both do).
  const status = b.status !== 'active' ? b.status : a.status;
  const version = Math.max(a.version, b.version);
  if (a.resourceAccess === 'all' && b.resourceAccess === 'all')
    return { integrationId: a.integrationId, version, status, resourceAccess: 'all', resources: [] };
  if (a.resourceAccess === 'all') return { ...b, version, status };
  if (b.resourceAccess === 'all') return { ...a, version, status };
  const inB = new Set(b.resources);
  return {
    integrationId: a.integrationId,
    version,
    status,
    resourceAccess: 'custom',
    resources: a.resources.filter((resource) => inB.has(resource)),
  };
}
