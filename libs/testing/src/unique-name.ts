import { randomBytes } from 'node:crypto';

const MAX_LENGTH = 38;

/**
 * A name no other test run uses, for a database (FerretDB: `[a-z0-9_]`, kept at most 38
 * characters) or a topic prefix. Call it once per test file: `uniqueName('event_store')`.
 */
export function uniqueName(prefix: string): string {
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(clean)) clean = `t${clean}`;
  clean = clean.slice(0, MAX_LENGTH - suffix.length - 1);
  return `${clean}_${suffix}`;
}
