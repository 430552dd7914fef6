import { badRequest } from '@integrations/service-kit';

/**
 * The version the client last saw, for optimistic concurrency: from the body's `expectedVersion`
 * or an `If-Match` header (`"3"`, `3` or `W/"3"`). Absent = the version just loaded.
 */
export function expectedVersionFrom(ifMatch: string | undefined, bodyValue?: number): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return bodyValue;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw badRequest('REQUEST.INVALID', 'If-Match must be the integration version you last read, e.g. "3".', [
      { field: 'If-Match', code: 'REQUEST.INVALID_VALUE', message: 'Expected a positive integer version.' },
    ]);
  }
  if (bodyValue !== undefined && bodyValue !== version) {
    throw badRequest('REQUEST.INVALID', 'expectedVersion and If-Match disagree; send one of them.', [
      { field: 'expectedVersion', code: 'REQUEST.INVALID_VALUE', message: 'Differs from If-Match.' },
    ]);
  }
  return version;
}

/** Ids are UUIDs we generated; anything else cannot name an integration (answered 404, not 400). */
export const looksLikeIntegrationId = (id: string) => /^[A-Za-z0-9-]{1,64}$/.test(id);
