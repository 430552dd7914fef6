import { z } from 'zod';

// Field schemas shared by the oauth events. None of them can hold a secret: credentials appear only
// as fingerprints (their last 4 characters), enough to tell two of them apart in a support case.

/** The oauth service's id of a consumer (not its key). */
export const ConsumerId = z.string().min(1);
/** Last 4 characters of a consumer key or token: identifies it without disclosing it. */
export const CredentialFingerprint = z
  .string()
  .regex(/^[0-9a-z]{4}$/, 'must be the last 4 characters of the credential');
export const CredentialsMode = z.enum(['tokens', 'exchange']);
/** Why access tokens stopped working. */
export const RevocationReason = z.enum(['reauthorized', 'replaced', 'integration-reset', 'integration-deleted']);

export type CredentialsMode = z.infer<typeof CredentialsMode>;
export type RevocationReason = z.infer<typeof RevocationReason>;

/** The fingerprint of a credential, as the oauth events carry it. */
export function fingerprintOf(credential: string): string {
  return credential.slice(-4);
}
