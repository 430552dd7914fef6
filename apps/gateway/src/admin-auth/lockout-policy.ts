/**
 * Admin lockout, Magento's defaults (6 failures, 30 minutes; `admin/security/lockout_failures`,
 * `admin/security/lockout_threshold`). Pure: the store records failures and asks these functions.
 *
 * Failures are counted in a sliding window as long as the lock itself: the failures that caused a
 * lock have all left the window when it expires, so the next mistake starts again from one. A
 * successful sign-in forgets earlier failures.
 */
export interface LockoutPolicy {
  /** Failed passwords within the window that lock the account. */
  threshold: number;
  /** How long the lock lasts, and how far back failures count. */
  durationMs: number;
}

export type LockState = { locked: false } | { locked: true; until: Date };

export function lockState(lockExpiresAt: Date | null | undefined, now: Date): LockState {
  return lockExpiresAt && lockExpiresAt.getTime() > now.getTime()
    ? { locked: true, until: lockExpiresAt }
    : { locked: false };
}

/** Failures recorded at or before this instant no longer count. */
export function failureWindowStart(now: Date, policy: LockoutPolicy): Date {
  return new Date(now.getTime() - policy.durationMs);
}

export type FailureOutcome = { lock: false; remainingAttempts: number } | { lock: true; until: Date };

/**
 * Whether an attempt may be checked at all, given its rank (attempts in the window, failed or in
 * flight, this one included; see `PasswordFailuresStore.admit`). Past the threshold the password is
 * not even hashed: a burst of guesses gets at most `threshold` of them evaluated, whatever their
 * number and however they interleave.
 */
export function mayEvaluate(rank: number, policy: LockoutPolicy): boolean {
  return rank <= policy.threshold;
}

export function lockExpiry(now: Date, policy: LockoutPolicy): Date {
  return new Date(now.getTime() + policy.durationMs);
}

/**
 * What a failed password leads to, given how many failures (this one included) the window holds.
 * Any count at or over the threshold locks: under concurrent failures several requests may see
 * the threshold crossed, and each of them setting the same lock is harmless.
 */
export function outcomeOfFailure(failuresInWindow: number, now: Date, policy: LockoutPolicy): FailureOutcome {
  if (failuresInWindow >= policy.threshold) return { lock: true, until: lockExpiry(now, policy) };
  return { lock: false, remainingAttempts: policy.threshold - failuresInWindow };
}
