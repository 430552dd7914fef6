import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifying the store's notifications (README "Notifications from the store"), written the way any
 * partner would, without the platform's code: the store POSTs JSON to the callback URL with
 *
 *   X-Integrations-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the consumer secret>
 *
 * and a body `{id, type, timestamp, occurredAt, attempt, integration: {id, consumerKey}}`.
 */
export const SIGNATURE_HEADER = 'x-integrations-signature';

export interface StoreNotification {
  id: string;
  type: string;
  timestamp: string;
  occurredAt: string;
  attempt: number;
  integration: { id: string; consumerKey: string };
}

export type NotificationCheck =
  { ok: true; notification: StoreNotification; duplicate: boolean } | { ok: false; status: 400 | 401; reason: string };

export interface NotificationVerifierOptions {
  /** The consumer secret the store sent for this key (undefined: we hold none). */
  secretOf(consumerKey: string): string | undefined;
  /** How far `timestamp` may be from our clock (default 5 minutes): older bodies are replays. */
  toleranceMs?: number;
  /** How many processed ids are remembered (default 10,000), to answer a repeat without acting twice. */
  rememberIds?: number;
  now?: () => number;
}

const HEX_SHA256 = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks, in this order: the body is a notification naming a consumer key we hold a secret for; the
 * signature is the HMAC of the bytes received (compared in constant time, before anything in the
 * body is believed); the timestamp is within the tolerance (a body captured earlier and sent again
 * is refused); the id was not processed already (a retry of a notification we handled is answered
 * 2xx without acting again). Call `processed(id)` once the notification was acted upon: an id is
 * remembered only then, so a retry after our own failure is handled.
 */
export class NotificationVerifier {
  private readonly seen = new Map<string, number>();
  private readonly toleranceMs: number;
  private readonly rememberIds: number;
  private readonly now: () => number;

  constructor(private readonly options: NotificationVerifierOptions) {
    this.toleranceMs = options.toleranceMs ?? 5 * 60_000;
    this.rememberIds = options.rememberIds ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  check(body: Buffer, signatureHeader: string | string[] | undefined): NotificationCheck {
    const notification = parseNotification(body);
    if (!notification) return { ok: false, status: 400, reason: 'not a store notification' };
    const secret = this.options.secretOf(notification.integration.consumerKey);
    if (secret === undefined) return { ok: false, status: 401, reason: 'unknown consumer key' };
    const given = typeof signatureHeader === 'string' ? HEX_SHA256.exec(signatureHeader.trim()) : null;
    if (!given) return { ok: false, status: 401, reason: `missing or malformed ${SIGNATURE_HEADER}` };
    const expected = createHmac('sha256', secret).update(body).digest();
    // Both 32 bytes: timingSafeEqual compares them in constant time.
    if (!timingSafeEqual(Buffer.from(given[1], 'hex'), expected)) {
      return { ok: false, status: 401, reason: 'signature does not match' };
    }
    const sentAt = Date.parse(notification.timestamp);
    if (!Number.isFinite(sentAt) || Math.abs(this.now() - sentAt) > this.toleranceMs) {
      return { ok: false, status: 401, reason: 'timestamp outside the tolerance (a replay, or a clock far off)' };
    }
    return { ok: true, notification, duplicate: this.seen.has(notification.id) };
  }

  /** Remembers a notification we acted upon; the oldest ids go first once the memory is full. */
  processed(id: string): void {
    this.seen.delete(id);
    this.seen.set(id, this.now());
    if (this.seen.size > this.rememberIds) this.seen.delete(this.seen.keys().next().value as string);
  }
}

function parseNotification(body: Buffer): StoreNotification | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const n = value as Partial<StoreNotification> | null;
  const valid =
    typeof n?.id === 'string' &&
    typeof n.type === 'string' &&
    typeof n.timestamp === 'string' &&
    typeof n.occurredAt === 'string' &&
    typeof n.attempt === 'number' &&
    typeof n.integration?.id === 'string' &&
    typeof n.integration.consumerKey === 'string';
  return valid ? (n as StoreNotification) : undefined;
}
