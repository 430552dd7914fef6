import type { AdminPrincipal } from '../admin-auth/admin-auth.service';

/**
 * Read-your-writes for admins (DESIGN.md): the registry's command replies carry the integration's
 * new `version`; the session remembers it, and this session's next reads ask the registry to wait
 * (bounded) until its read models have caught up with that version. Another admin's reads are not
 * held back by our writes.
 */
export interface WrittenVersion {
  id: string;
  version: number;
}

/** The id and version a successful command reply reports, if any. */
export function writtenVersion(status: number, body: unknown, knownId?: string): WrittenVersion | undefined {
  if (status < 200 || status >= 300) return undefined;
  const reply = body as { id?: unknown; version?: unknown } | undefined;
  const id = typeof reply?.id === 'string' ? reply.id : knownId;
  const version = reply?.version;
  return id && typeof version === 'number' && Number.isInteger(version) && version > 0 ? { id, version } : undefined;
}

export const readYourWrites = {
  forIntegration(admin: AdminPrincipal, id: string): Record<string, number> {
    const version = admin.writes[id];
    return version ? { minVersion: version } : {};
  },
  forList(_admin: AdminPrincipal): Record<string, string> {
    return {};
  },
};
