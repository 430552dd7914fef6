import { recordVerification, type VerificationKind } from '@integrations/service-kit';

const SERVICE = 'oauth';

/**
 * The `problem` label of a refusal: our stable code without its prefix, lower case
 * (`OAUTH.SIGNATURE_INVALID` -> `signature_invalid`, `OAUTH.NONCE_USED` -> `nonce_used`). Never
 * Magento's `oauth_problem` text itself: it quotes request values (versions, consumer ids), which
 * would give any client the power to create series.
 */
export function problemLabel(code: string | undefined): string {
  const match = code === undefined ? null : /^OAUTH\.([A-Z][A-Z0-9_]{0,47})$/.exec(code);
  return match ? match[1]!.toLowerCase() : 'other';
}

/** One answer of the api-call verification (`{ok: true, …}` or `{ok: false, code, …}`). */
export function recordVerdict(kind: VerificationKind, verdict: { ok: boolean; code?: string }): void {
  if (verdict.ok) recordVerification(SERVICE, kind, 'accepted');
  else recordVerification(SERVICE, kind, 'rejected', problemLabel(verdict.code));
}

/** One answer of a token endpoint: 200 with tokens, or 400/401 with `oauth_problem`. */
export function recordTokenReply(kind: VerificationKind, reply: { status: number; code?: string }): void {
  recordVerdict(kind, reply.status === 200 ? { ok: true } : { ok: false, code: reply.code });
}
