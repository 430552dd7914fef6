import { toCloudEvent } from '@integrations/contracts';
import { type MessagePublisher, type OutgoingMessage, settlesWithin } from '@integrations/messaging';
import { recordRelayBacklog, recordRelayPublished } from '@integrations/service-kit';
import type { EventStore, UnpublishedCommit } from './event-store';
import type { RelayLease } from './relay-lease';
import type { StoredEvent } from './event-store.types';

/** Satisfied by console, pino and the Nest Logger. Messages never carry payloads. */
export interface RelayLogger {
  warn(message: string): void;
  error?(message: string): void;
}

export interface OutboxRelayOptions {
  store: Pick<EventStore, 'readUnpublished' | 'markPublished' | 'countUnpublished'>;
  publisher: MessagePublisher;
  /** Topic of an event, or null for an event that stays inside the service (never published). */
  topicFor: (event: StoredEvent) => string | null;
  /** CloudEvents `source` of the service's events (e.g. `/integrations/registry`). */
  source: string;
  /** How an event becomes a message. Default: cloudEventMessage (tests encode their own). */
  toMessage?: (event: StoredEvent, source: string) => OutgoingMessage;
  /**
   * Leadership among replicas (docs/adr/0006 §4): the relay publishes only while it holds the lease.
   * Without one it assumes it is alone (tests, tools).
   */
  lease?: Pick<RelayLease, 'isHeld' | 'start' | 'stop'>;
  /** Commits per batch. Default 100. */
  batchSize?: number;
  /** Pause between polls when the outbox is drained. Default 50 ms; `nudge()` cuts it short. */
  pollIntervalMs?: number;
  /** Back-off after a failure doubles from the first value to the second. Default 100 ms -> 2 s. */
  backoffMs?: { initial: number; max: number };
  /**
   * How long `stop()` waits for the batch in flight to be acknowledged before abandoning it (the
   * publish is aborted and the batch stays unflagged, so the next lease holder publishes it again:
   * at worst a duplicate). A healthy broker answers in milliseconds; one that does not answer would
   * keep the stop in the client's retries for up to a minute. Default 2000.
   */
  stopGraceMs?: number;
  logger?: RelayLogger;
  /**
   * Labels of `event_relay_backlog_events` (outbox entries: commits, one command's events each) and
   * `event_relay_published_events_total` (messages)
   * (`{service: 'registry', relay: 'integration'}`). Without them the relay records nothing.
   */
  metrics?: { service: string; relay: string };
}

const defaultLogger: RelayLogger = { warn: (message) => console.warn(message) };

/**
 * Publishes the event store's unpublished commits to Kafka in position order, then flags them.
 *
 * At-least-once: a crash or a failure between publish and flag republishes the batch, which
 * consumers absorb (they are idempotent by stream id + version). A broker outage only grows the
 * backlog; appends never wait for Kafka. Every replica runs a relay; with a `lease`, only the one
 * holding it publishes (the others wait for it to lapse).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: { initial: number; max: number };
  private readonly stopGraceMs: number;
  private readonly logger: RelayLogger;
  /** Aborted by a stop that waited `stopGraceMs` for the batch in flight. */
  private abandon = new AbortController();
  private loop?: Promise<void>;
  private stopping = false;
  private nudged = false;
  private wake?: () => void;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.backoff = options.backoffMs ?? { initial: 100, max: 2_000 };
    this.stopGraceMs = options.stopGraceMs ?? 2_000;
    this.logger = options.logger ?? defaultLogger;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.abandon = new AbortController();
    this.options.lease?.start();
    this.loop = this.run();
  }

  /**
   * Resolves once the in-flight batch is published and flagged (or has failed, or was abandoned after
   * `stopGraceMs`), and the lease given up.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const loop = this.loop;
    if (loop && !(await settlesWithin(loop, this.stopGraceMs))) {
      this.logger.warn(
        `outbox relay: the batch in flight was not acknowledged within ${this.stopGraceMs} ms of the stop; abandoned (the next lease holder publishes it again)`,
      );
      this.abandon.abort();
      await loop;
    }
    this.loop = undefined;
    await this.options.lease?.stop();
  }

  /** Whether this relay publishes now (it holds the lease, or runs without one). */
  isActive(): boolean {
    return this.options.lease?.isHeld() ?? true;
  }

  /** Polls now instead of at the next interval; call it after an in-process append. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Commits not yet published. */
  backlog(): Promise<number> {
    return this.options.store.countUnpublished();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      if (!this.isActive()) {
        await this.sleep(this.pollIntervalMs * 4, true);
        continue;
      }
      let batchWasFull = false;
      try {
        const { commits, published } = await this.relayBatch();
        batchWasFull = commits === this.batchSize;
        // A batch that was not full emptied the outbox (as of its read): no count needed, so an
        // idle relay polling every 50 ms costs no extra query.
        await this.recordBacklog(batchWasFull ? undefined : 0, published);
        if (failures > 0) this.logger.warn(`outbox relay: recovered after ${failures} failed attempt(s)`);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        const delay = Math.min(this.backoff.initial * 2 ** (failures - 1), this.backoff.max);
        this.logger.warn(`outbox relay: attempt ${failures} failed (${describe(error)}); retrying in ${delay} ms`);
        await this.recordBacklog(undefined, 0);
        await this.sleep(delay, false);
        continue;
      }
      if (!batchWasFull) await this.sleep(this.pollIntervalMs, true);
    }
  }

  /** `backlog` undefined: count the outbox (after a full batch or a failure: work is waiting). */
  private async recordBacklog(backlog: number | undefined, published: number): Promise<void> {
    const labels = this.options.metrics;
    if (!labels) return;
    let pending = backlog;
    if (pending === undefined) {
      try {
        pending = await this.options.store.countUnpublished();
      } catch {
        // The database is down too: keep the last backlog value; what was published still counts.
        recordRelayPublished(labels.service, labels.relay, published);
        return;
      }
    }
    recordRelayBacklog(labels.service, labels.relay, pending, published);
  }

  /** Commits read (and flagged), and the messages published for them. */
  private async relayBatch(): Promise<{ commits: number; published: number }> {
    const commits = await this.options.store.readUnpublished(this.batchSize);
    if (commits.length === 0) return { commits: 0, published: 0 };
    let published = 0;
    for (const [topic, messages] of this.messagesByTopic(commits)) {
      // Fencing: a relay that lost its lease stops between topics; what it published is republished
      // by the new holder (duplicates, absorbed by idempotent consumers).
      if (!this.isActive()) throw new Error('outbox relay: the lease was lost; publishing stops here');
      await this.options.publisher.publish(topic, messages, { signal: this.abandon.signal });
      published += messages.length;
    }
    await this.options.store.markPublished(commits.map((commit) => commit.entryId));
    return { commits: commits.length, published };
  }

  /** Keeps position order within each topic, which is all Kafka orders anyway. */
  private messagesByTopic(commits: UnpublishedCommit[]): Map<string, OutgoingMessage[]> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const commit of commits) {
      for (const event of commit.events) {
        const topic = this.options.topicFor(event);
        if (topic === null) continue;
        const messages = byTopic.get(topic) ?? [];
        messages.push((this.options.toMessage ?? cloudEventMessage)(event, this.options.source));
        byTopic.set(topic, messages);
      }
    }
    return byTopic;
  }

  /** A nudge ends a poll pause but not a back-off: appends during an outage must not hammer it. */
  private sleep(ms: number, nudgeable: boolean): Promise<void> {
    if (this.stopping || (nudgeable && this.nudged)) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.nudged = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        if (this.stopping || nudgeable) done();
      };
    });
  }
}

/**
 * One event as a Kafka message: keyed by stream (one stream stays on one partition, in order), the
 * CloudEvent in structured mode with its content type, and the correlation id as a header too, so
 * consumers put it into their log context (libs/messaging reads it) without parsing the value.
 */
export function cloudEventMessage(event: StoredEvent, source: string): OutgoingMessage {
  const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
  const correlationId = event.metadata?.correlationId;
  if (correlationId) headers.correlationid = correlationId;
  return { key: event.streamId, value: JSON.stringify(toCloudEvent(event, source)), headers };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
