import { PARTNER_SIGNATURE_HEADER, type PartnerNotification, PartnerNotificationSchema } from '@integrations/contracts';
import type { RelayLease } from '@integrations/event-store';
import { DomainError, type Logger } from '@integrations/service-kit';
import { postGuarded, type GuardedPostInput } from '../credentials/post-credentials/post-credentials';
import type { Resolve } from '../credentials/post-credentials/outbound-guard';
import type { SecretBox } from '../crypto/secret-box';
import type { OauthEventLog } from '../events/oauth-event-log';
import type { OauthSettings } from '../oauth-settings';
import {
  notificationSecretContext,
  type NotificationQueue,
  type PartnerNotificationDocument,
} from './notification-queue';
import { signNotification } from './notification-signature';

export interface PartnerNotifierOptions {
  /** The wait after the first failed attempt; each later one is 4 times longer, at most 6 hours. */
  retryBaseMs: number;
  /** Attempts before a notification is abandoned. */
  maxAttempts: number;
  /** How often the lease holder looks for due notifications (an enqueue on this replica looks at once). */
  pollMs: number;
  /** Finished notifications are kept this long, then purged (their attempts stay in the history). */
  keepFinishedMs?: number;
  now?: () => number;
  /** DNS resolution for the outbound guard (tests). */
  resolve?: Resolve;
}

const BATCH = 50;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Sends queued partner notifications (notification-queue.ts): one active sender among the oauth
 * replicas (a RelayLease named `partner-notifications`, docs/adr/0006 §4). Each attempt is signed
 * afresh (the body's `timestamp` is the attempt's time) with the secret sealed in the queue,
 * POSTed through the credentials POST's outbound guard (SSRF guard, allow-list, redirects only on
 * the same host), and recorded as PartnerNotificationDelivered or PartnerNotificationFailed on the
 * oauth topic, which the registry shows in the integration's history. A failure is retried with
 * backoff until `maxAttempts`.
 *
 * At least once: a sender that loses its lease (or dies) mid-attempt leaves the attempt to the next
 * holder, so a partner may see one notification twice; it deduplicates by `id`. Neither the secret
 * nor the signature is ever logged or put in an event.
 */
export class PartnerNotifier {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private lastPurge = 0;
  private readonly now: () => number;

  constructor(
    private readonly queue: NotificationQueue,
    private readonly box: SecretBox,
    private readonly settings: OauthSettings,
    private readonly events: OauthEventLog,
    private readonly lease: RelayLease,
    private readonly logger: Logger,
    private readonly options: PartnerNotifierOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lease.start();
    // Gaining the lease is the moment to look at what the previous holder left.
    this.lease.onChange((held) => held && this.nudge());
    this.timer = setInterval(() => this.nudge(), this.options.pollMs);
    this.timer.unref();
  }

  /** Looks for due notifications now (after an enqueue); a look already running looks again after. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendDue()
      .catch((error: unknown) =>
        this.logger.warn({ err: { message: (error as Error).message } }, 'Partner notifications: a round failed'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Stops looking, lets the attempt in flight finish, and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.lease.stop();
  }

  private async sendDue(): Promise<void> {
    if (!this.lease.isHeld()) return;
    await this.purgeIfDue();
    for (;;) {
      const due = await this.queue.due(new Date(this.now()), BATCH);
      for (const notification of due) {
        // Fencing: a sender that lost its lease stops before its next attempt.
        if (this.stopped || !this.lease.isHeld()) return;
        await this.attempt(notification);
      }
      if (due.length < BATCH) return;
    }
  }

  private async attempt(item: PartnerNotificationDocument): Promise<void> {
    const attempt = item.attempts + 1;
    const now = this.now();
    const host = hostOf(item.callbackUrl);
    const common = {
      integrationId: item.integrationId,
      notificationId: item.notificationId,
      notification: item.type,
      integrationVersion: item.integrationVersion,
      attempt,
      host,
    };
    const meta = { now: new Date(now), actor: 'system', correlationId: `notification:${item.notificationId}` };
    let status: number;
    try {
      ({ status } = await postGuarded(this.request(item, attempt, now), this.options.resolve));
    } catch (error) {
      const failure = describeFailure(error);
      const next = attempt >= this.options.maxAttempts ? null : new Date(now + this.backoff(attempt));
      await this.queue.failed(item._id, attempt, next, new Date(this.now()));
      await this.events.record(
        item.integrationId,
        [
          {
            type: 'PartnerNotificationFailed',
            payload: { ...common, ...failure, nextAttemptAt: next?.toISOString() ?? null },
          },
        ],
        meta,
      );
      this.logger.warn(
        { integrationId: item.integrationId, notification: item.type, attempt, host, code: failure.code },
        next ? 'Partner notification failed; will retry' : 'Partner notification failed; giving up',
      );
      return;
    }
    await this.queue.delivered(item._id, attempt, new Date(this.now()));
    await this.events.record(
      item.integrationId,
      [{ type: 'PartnerNotificationDelivered', payload: { ...common, status } }],
      meta,
    );
    this.logger.info(
      { integrationId: item.integrationId, notification: item.type, attempt, host, status },
      'Partner notified',
    );
  }

  /** The attempt's body, signed now with the sealed secret. */
  private request(item: PartnerNotificationDocument, attempt: number, now: number): GuardedPostInput {
    const notification: PartnerNotification = PartnerNotificationSchema.parse({
      id: item.notificationId,
      type: item.type,
      timestamp: new Date(now).toISOString(),
      occurredAt: item.occurredAt.toISOString(),
      attempt,
      integration: { id: item.integrationId, consumerKey: item.consumerKey },
    });
    const body = JSON.stringify(notification);
    const secret = this.box.open(item.secret!, notificationSecretContext(item._id));
    return {
      url: item.callbackUrl,
      body,
      contentType: 'application/json',
      headers: { [PARTNER_SIGNATURE_HEADER]: signNotification(secret, body) },
      what: 'notification',
      timeoutMs: this.settings.get('oauth/consumer/post_timeout') * 1000,
      maxRedirects: this.settings.get('oauth/consumer/post_maxredirects'),
      allowList: this.settings.get('oauth/consumer/outbound_allowlist'),
      sameHostRedirects: true,
    };
  }

  /** 1, 4, 16, … times the base, at most 6 hours, give or take 10% so retries do not bunch up. */
  private backoff(attempt: number): number {
    const wait = Math.min(this.options.retryBaseMs * 4 ** (attempt - 1), MAX_BACKOFF_MS);
    return Math.round(wait * (0.9 + Math.random() * 0.2));
  }

  private async purgeIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.queue.purgeFinished(new Date(now - (this.options.keepFinishedMs ?? 7 * 86_400_000)));
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '(invalid URL)';
  }
}

/** The failure as the event carries it: a stable code, a message for a person, the HTTP status. */
function describeFailure(error: unknown): { code: string; problem: string; status: number | null } {
  if (error instanceof DomainError) {
    const status = (error.details as { status?: unknown } | undefined)?.status;
    return { code: error.code, problem: error.message, status: typeof status === 'number' ? status : null };
  }
  // Not a guard or transport answer (say the secret cannot be opened): named, never described with data.
  return {
    code: 'OAUTH.NOTIFICATION_FAILED',
    problem: `The notification could not be sent (${(error as Error).name}).`,
    status: null,
  };
}
