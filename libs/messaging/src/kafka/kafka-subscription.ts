import type {
  ConsumerCrashEvent,
  ConsumerGroupJoinEvent,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  Consumer,
  Message,
  RetryOptions,
} from 'kafkajs';
import { runWithContext, validCorrelationId } from '@integrations/service-kit';
import { settlesWithin } from '../settle';
import { backoffDelay, type BackoffOptions } from '../backoff';
import { defaultDeadLetterTopic } from '../dead-letter';
import type { Log } from '../logging';
import type { IncomingMessage, Subscription, SubscriptionOptions } from '../message-bus.port';
import { processMessage } from '../process-message';
import { ConsumerLagReporter } from './consumer-lag';
import { decodeHeaders, decodeNullable } from './kafka-headers';

export interface ConsumerTuning {
  /** Broker bounds: group.min.session.timeout.ms (6 s) to group.max.session.timeout.ms (30 min). */
  sessionTimeout: number;
  /** Must stay well under sessionTimeout (a third at most). */
  heartbeatInterval: number;
  /** How long the coordinator waits for members to rejoin during a rebalance. */
  rebalanceTimeout: number;
  /** Longest a fetch waits for data: the consumer's latency floor when a topic is idle. */
  maxWaitTimeInMs: number;
  /** Resolved offsets are committed at least this often, and at the end of every fetched batch. */
  autoCommitIntervalMs: number;
  /** Partitions handled in parallel by one subscription; messages of one partition never are. */
  partitionsConsumedConcurrently: number;
}

export const DEFAULT_CONSUMER_TUNING: ConsumerTuning = {
  sessionTimeout: 10_000,
  heartbeatInterval: 1_000,
  rebalanceTimeout: 15_000,
  maxWaitTimeInMs: 100,
  autoCommitIntervalMs: 1_000,
  partitionsConsumedConcurrently: 1,
};

export const DEFAULT_MAX_ATTEMPTS = 5;

const RESTART_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, multiplier: 2 };

export interface KafkaSubscriptionDeps {
  kafka: Kafka;
  tuning: ConsumerTuning;
  retry: RetryOptions;
  handlerBackoff: BackoffOptions;
  /** How long close() waits for the broker (commit, leaving the group) before leaving the consumer behind. */
  closeGraceMs: number;
  log: Log;
  /** The `service` label of the lag metric (the bus's client id). */
  service: string;
  /** Sends through the bus's producer, so dead letters get the same acks and reconnect handling. */
  send: (topic: string, messages: Message[]) => Promise<void>;
  onClosed: (subscription: KafkaSubscription<unknown>) => void;
}

/**
 * One kafkajs consumer (one group member) for one `subscribe()` call. Offsets are resolved by hand
 * (eachBatch without auto-resolve), one message at a time and only once it is handled or
 * dead-lettered, so a crash or a close mid-message redelivers it: at-least-once.
 */
export class KafkaSubscription<T> implements Subscription {
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private readonly abort = new AbortController();
  private readonly maxAttempts: number;
  private readonly deadLetterTopic: (topic: string) => string;
  private readonly lag: ConsumerLagReporter;

  constructor(
    private readonly options: SubscriptionOptions<T>,
    private readonly deps: KafkaSubscriptionDeps,
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${options.maxAttempts}`);
    }
    if (options.topics.length === 0) throw new RangeError('subscribe needs at least one topic');
    this.deadLetterTopic = options.deadLetterTopic ?? defaultDeadLetterTopic;
    this.lag = new ConsumerLagReporter(deps.service, options.groupId);
    for (const topic of options.topics) {
      if (this.deadLetterTopic(topic) === topic) {
        throw new RangeError(`The dead-letter topic of ${topic} cannot be the topic itself`);
      }
    }
  }

  /**
   * Resolves once the consumer has joined its group. A join that fails after connecting is a crash,
   * handled like any other (restart or recreate), not a rejection.
   */
  start(): Promise<void> {
    this.starting = this.startConsumer();
    return this.starting;
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    // Cuts retry backoffs short; a handler already running is left to finish.
    this.abort.abort();
    clearTimeout(this.restartTimer);
    const graceful = (async () => {
      await this.starting?.catch(() => undefined);
      const consumer = this.consumer;
      this.consumer = undefined;
      // disconnect() stops the runner, which waits for the batch in progress, commits what was
      // resolved, then leaves the group so partitions move to other members without a session timeout.
      if (consumer)
        await consumer.disconnect().catch((error: unknown) => this.logError('Consumer disconnect failed', error));
    })();
    // A broker that does not answer keeps a (re)connection or the commit in kafkajs's retries for up
    // to a minute: the consumer is left behind, what it had not committed goes to another member.
    if (!(await settlesWithin(graceful, this.deps.closeGraceMs)))
      this.deps.log(
        'warn',
        `Consumer did not close within ${this.deps.closeGraceMs} ms (the broker does not answer); left behind, its uncommitted messages are redelivered`,
        { groupId: this.options.groupId, topics: this.options.topics },
      );
    this.lag.clear();
    this.deps.onClosed(this as KafkaSubscription<unknown>);
  }

  private async startConsumer(): Promise<void> {
    const { kafka, tuning, retry } = this.deps;
    const consumer = kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: tuning.sessionTimeout,
      heartbeatInterval: tuning.heartbeatInterval,
      rebalanceTimeout: tuning.rebalanceTimeout,
      maxWaitTimeInMs: tuning.maxWaitTimeInMs,
      retry,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => this.onCrash(consumer, event.payload));
    consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) => {
      if (consumer === this.consumer) this.lag.assigned(event.payload.memberAssignment);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? false });
      await consumer.run({
        eachBatchAutoResolve: false,
        autoCommitInterval: tuning.autoCommitIntervalMs,
        partitionsConsumedConcurrently: tuning.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const first = batch.messages[0];
    if (first) this.lag.batchStarted(batch.topic, batch.partition, batch.highWatermark, first.offset);
    for (const record of batch.messages) {
      // isStale: a seek or a lost partition made the rest of this batch obsolete.
      if (!isRunning() || isStale() || this.abort.signal.aborted) return;
      const message = toIncomingMessage(batch.topic, batch.partition, record);
      const correlationId = correlationIdOf(message);
      const handleOne = () =>
        processMessage(message, this.options, {
          groupId: this.options.groupId,
          maxAttempts: this.maxAttempts,
          backoff: this.deps.handlerBackoff,
          signal: this.abort.signal,
          heartbeat,
          log: this.deps.log,
          deadLetter: (headers) =>
            this.deps.send(this.deadLetterTopic(batch.topic), [
              // The original bytes, not the decoded strings: a dead letter must be replayable as it was.
              { key: record.key, value: record.value, headers },
            ]),
        });
      // The handler's log lines (pino's mixin reads the context) carry the id of the request that
      // caused the event, as the HTTP services' lines do.
      const outcome = await (correlationId ? runWithContext({ correlationId }, handleOne) : handleOne());
      if (outcome.kind === 'aborted') return;
      resolveOffset(record.offset);
      this.lag.handled(batch.topic, batch.partition, batch.highWatermark, record.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * kafkajs restarts a consumer by itself after retriable errors (`restart: true`). After a
   * non-retriable one it stays down for good (tulios/kafkajs#1443, #1445), so we build a new one.
   */
  private onCrash(consumer: Consumer, crash: ConsumerCrashEvent['payload']): void {
    if (consumer !== this.consumer || this.abort.signal.aborted) return;
    if (crash.restart) {
      this.logError('Consumer crashed; kafkajs restarts it', crash.error, 'warn');
      return;
    }
    this.logError('Consumer crashed with a non-retriable error; recreating it', crash.error);
    this.scheduleRestart(consumer);
  }

  private scheduleRestart(crashed: Consumer): void {
    this.restarts += 1;
    const delayMs = backoffDelay(this.restarts, RESTART_BACKOFF);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.abort.signal.aborted) return;
      this.starting = crashed
        .disconnect()
        .catch(() => undefined)
        .then(() => this.startConsumer())
        .then(() => {
          this.restarts = 0;
          this.deps.log('info', 'Consumer recreated', { groupId: this.options.groupId, topics: this.options.topics });
        })
        .catch((error: unknown) => {
          if (this.abort.signal.aborted) return;
          this.logError('Recreating the consumer failed; trying again', error);
          this.scheduleRestart(this.consumer ?? crashed);
        });
    }, delayMs);
  }

  private logError(message: string, error: unknown, level: 'warn' | 'error' = 'error'): void {
    this.deps.log(level, message, {
      groupId: this.options.groupId,
      topics: this.options.topics,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

/**
 * Kafka header naming the request behind a message: `correlationid` (what the outbox relay sets,
 * the CloudEvents extension's name) or `ce_correlationid` (CloudEvents binary mode).
 */
export function correlationIdOf(message: IncomingMessage): string | undefined {
  return validCorrelationId(message.headers.correlationid ?? message.headers.ce_correlationid);
}

export function toIncomingMessage(topic: string, partition: number, record: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: record.offset,
    key: decodeNullable(record.key),
    value: decodeNullable(record.value),
    headers: decodeHeaders(record.headers),
  };
}
