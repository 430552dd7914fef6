import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { deadLetterHeaders, describeFailure, type FailureReason, type FailureStage } from './dead-letter';
import type { Log } from './logging';
import type { IncomingMessage, SubscriptionOptions } from './message-bus.port';

export type ProcessOutcome =
  | { kind: 'handled'; attempts: number }
  | { kind: 'dead-lettered'; stage: FailureStage; attempts: number; reason: FailureReason }
  /** The subscription is closing: the message was neither handled nor dead-lettered; do not commit it. */
  | { kind: 'aborted' };

export interface ProcessDeps {
  groupId: string;
  maxAttempts: number;
  backoff: BackoffOptions;
  /** Aborted when the subscription closes: stops retries and backoff sleeps, never an in-flight handler. */
  signal: AbortSignal;
  /** Writes the original record, with these headers, to the dead-letter topic. */
  deadLetter: (headers: Record<string, string>) => Promise<void>;
  /** Keeps the consumer's group membership alive during long retries; may throw on a rebalance. */
  heartbeat: () => Promise<void>;
  log: Log;
  now?: () => Date;
}

/**
 * Parse, then handle with retries, then dead-letter: the whole at-least-once policy for one message,
 * free of kafkajs so it can be reasoned about (and tested) alone. The caller commits the offset only
 * for `handled` and `dead-lettered`.
 */
export async function processMessage<T>(
  message: IncomingMessage,
  subscription: Pick<SubscriptionOptions<T>, 'parse' | 'handle'>,
  deps: ProcessDeps,
): Promise<ProcessOutcome> {
  const where = { topic: message.topic, partition: message.partition, offset: message.offset, groupId: deps.groupId };

  let payload: T;
  try {
    payload = subscription.parse(message);
  } catch (error) {
    const reason = describeFailure('parse', error);
    deps.log('warn', 'Invalid message, dead-lettering it', { ...where, ...reason });
    return deadLetter(message, 'parse', 0, reason, deps);
  }

  let lastError: unknown;
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt++) {
    try {
      await subscription.handle(payload, message);
      return { kind: 'handled', attempts: attempt };
    } catch (error) {
      lastError = error;
    }
    if (attempt === deps.maxAttempts) break;
    if (deps.signal.aborted) return { kind: 'aborted' };
    const delayMs = backoffDelay(attempt, deps.backoff);
    deps.log('warn', 'Handler failed, retrying', {
      ...where,
      attempt,
      maxAttempts: deps.maxAttempts,
      delayMs,
      ...describeFailure('handle', lastError),
    });
    await sleep(delayMs, deps.signal);
    if (deps.signal.aborted) return { kind: 'aborted' };
    await deps.heartbeat();
  }

  const reason = describeFailure('handle', lastError);
  deps.log('error', 'Handler failed on every attempt, dead-lettering the message', {
    ...where,
    attempts: deps.maxAttempts,
    ...reason,
  });
  return deadLetter(message, 'handle', deps.maxAttempts, reason, deps);
}

/**
 * Skipping a message without a dead-letter copy would lose it, so a failing dead-letter write is
 * retried for as long as the subscription is open (the partition waits; the logs say why).
 */
async function deadLetter(
  message: IncomingMessage,
  stage: FailureStage,
  attempts: number,
  reason: FailureReason,
  deps: ProcessDeps,
): Promise<ProcessOutcome> {
  const headers = deadLetterHeaders({
    message,
    groupId: deps.groupId,
    stage,
    attempts,
    reason,
    failedAt: (deps.now ?? (() => new Date()))(),
  });
  for (let failures = 1; ; failures++) {
    try {
      await deps.deadLetter(headers);
      return { kind: 'dead-lettered', stage, attempts, reason };
    } catch (error) {
      if (deps.signal.aborted) return { kind: 'aborted' };
      const delayMs = backoffDelay(failures, { ...deps.backoff, initialMs: Math.max(deps.backoff.initialMs, 500) });
      deps.log('error', 'Could not write to the dead-letter topic, retrying', {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        groupId: deps.groupId,
        delayMs,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      await sleep(delayMs, deps.signal);
      if (deps.signal.aborted) return { kind: 'aborted' };
      await deps.heartbeat();
    }
  }
}
