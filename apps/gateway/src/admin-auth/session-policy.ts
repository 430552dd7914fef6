/**
 * When an admin session ends. Like Magento's admin session (900 s), it is an inactivity timeout:
 * each request pushes the expiry forward, but never past a hard cap counted from sign-in.
 */
export interface SessionPolicy {
  idleTtlSeconds: number;
  maxLifetimeSeconds: number;
}

/** Expiry of a session created at `createdAt` and used at `now`. */
export function sessionExpiry(createdAt: Date, now: Date, policy: SessionPolicy): Date {
  const idle = now.getTime() + policy.idleTtlSeconds * 1000;
  const cap = createdAt.getTime() + policy.maxLifetimeSeconds * 1000;
  return new Date(Math.min(idle, cap));
}

// Writing the new expiry on every request would double the load of reads; a minute of slack in an
// inactivity timeout is invisible to the admin.
const EXTEND_GRANULARITY_MS = 60_000;

/** The new expiry when the session should be extended now, `undefined` when not worth a write. */
export function extendedExpiry(createdAt: Date, expiresAt: Date, now: Date, policy: SessionPolicy): Date | undefined {
  const next = sessionExpiry(createdAt, now, policy);
  const granularity = Math.min(EXTEND_GRANULARITY_MS, (policy.idleTtlSeconds * 1000) / 10);
  return next.getTime() - expiresAt.getTime() >= granularity ? next : undefined;
}

export function isSessionLive(session: { expiresAt: Date; revokedAt?: Date | null }, now: Date): boolean {
  return !session.revokedAt && session.expiresAt.getTime() > now.getTime();
}
