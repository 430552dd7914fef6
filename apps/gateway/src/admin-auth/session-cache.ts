import type { AdminSessionDoc } from './admin-auth.models';

/**
 * A few seconds of memory for session lookups, so an admin clicking through the grid costs no
 * database round trip per request. The trade-off: a session revoked on *another* gateway instance
 * keeps working here for at most `ttlMs`; revocations on this instance (logout, lockout) evict at
 * once, and expiry is still checked against the clock on every request.
 */
export class SessionCache {
  private readonly entries = new Map<string, { session: AdminSessionDoc; cachedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(sessionId: string, nowMs: number): AdminSessionDoc | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (nowMs - entry.cachedAt >= this.ttlMs || nowMs < entry.cachedAt) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.session;
  }

  set(session: AdminSessionDoc, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    // Oldest first: Map iteration follows insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.delete(session._id);
    this.entries.set(session._id, { session, cachedAt: nowMs });
  }

  update(sessionId: string, change: (session: AdminSessionDoc) => AdminSessionDoc): void {
    const entry = this.entries.get(sessionId);
    if (entry) entry.session = change(entry.session);
  }

  evict(sessionId: string): void {
    this.entries.delete(sessionId);
  }
}
