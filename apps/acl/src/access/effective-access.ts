import { meetAccess, type IntegrationAccess } from '@integrations/contracts';

/** What the acl knows of one integration, from its three sources (docs/adr/0006 §2). */
export interface AccessSources {
  /** The grants projection, fed from Kafka; null before its first event. */
  projection: IntegrationAccess | null;
  /** The newest access snapshot the registry pushed; null if none. */
  snapshot: IntegrationAccess | null;
  /** The access each hold will leave once its command commits. */
  holds: readonly IntegrationAccess[];
}

/**
 * The access the acl enforces, pure: the newer of the projection and the snapshot, met with every
 * hold above its version (a hold at or below it belongs to a command already reflected there, or to
 * one that lost the race for that version). A hold restricts and never widens; holds are met in
 * version order, so the refusing status of the newest one is the one reported.
 * Nothing known: null, which decisions answer as an unknown integration (401).
 */
export function effectiveAccess({ projection, snapshot, holds }: AccessSources): IntegrationAccess | null {
  const base = newer(projection, snapshot);
  if (!base) return null;
  return holds
    .filter((hold) => hold.version > base.version)
    .sort((a, b) => a.version - b.version)
    .reduce(meetAccess, base);
}

/** On a tie the snapshot: it is the registry's own account of that version. */
function newer(projection: IntegrationAccess | null, snapshot: IntegrationAccess | null): IntegrationAccess | null {
  if (!projection) return snapshot;
  if (!snapshot) return projection;
  return projection.version > snapshot.version ? projection : snapshot;
}
