import { backoffDelay, sleep, type BackoffOptions } from '../backoff';
import { TopicMismatchError } from './ensure-topics';

/** One thing to do once the broker answers (ensure topics, connect the producer, start a consumer). */
export interface KafkaStartupStep {
  name: string;
  run(): Promise<unknown>;
}

export interface KafkaStartupOptions {
  /** For the logs: `Kafka at 127.0.0.1:9092 (KAFKA_BROKERS)`. */
  broker: string;
  /** Done in order; a step that succeeded is not run again after a later one failed. */
  steps: KafkaStartupStep[];
  /**
   * A quick probe asked before each attempt (MessageBus.isReachable): while the broker does not
   * answer, no step is tried, so no attempt hangs in kafkajs's own retries and a shutdown never
   * waits for one.
   */
  reachable(): Promise<boolean>;
  /** Satisfied by pino. */
  logger: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
  /** Between attempts. Default 1 s doubling, capped at 15 s. */
  backoff?: BackoffOptions;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 15_000, multiplier: 2 };

/**
 * What a service does with Kafka at start, done in the background until it succeeds: Kafka is on no
 * request path (commands append to the event store and its outbox; the relay publishes later), so a
 * broker outage must neither stop a boot nor hold the HTTP port shut. Every failed attempt is logged
 * with the step, the broker and the next delay; a step that succeeded is not repeated.
 *
 * `started` resolves once every step ran, and rejects only for an error that no retry can fix: a topic
 * whose partitions or replication differ from the catalogue (TopicMismatchError), which needs an
 * operator; the process should then stop, as it did when this check ran before the port opened.
 */
export class KafkaStartup {
  readonly started: Promise<void>;
  /**
   * Settles once the first attempt ended, either way: a caller that awaits it before going on starts
   * fully wired when the broker answers (as if Kafka were set up before the port opened) and goes on
   * without Kafka after one quick failure when it does not.
   */
  readonly firstAttempt: Promise<void>;
  private readonly abort = new AbortController();
  private done = false;
  private firstAttemptEnded!: () => void;

  constructor(private readonly options: KafkaStartupOptions) {
    this.firstAttempt = new Promise((resolve) => (this.firstAttemptEnded = resolve));
    this.started = this.run().finally(() => this.firstAttemptEnded());
    // Shutdown before the broker ever answered is not an error the caller must handle.
    this.started.catch(() => undefined);
  }

  /** True once every step succeeded. */
  isStarted(): boolean {
    return this.done;
  }

  /** Stops retrying and waits for the step in flight, if any; `started` then never resolves. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.started.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { steps, broker, logger } = this.options;
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    const t0 = Date.now();
    let failures = 0;
    for (const step of steps) {
      for (;;) {
        if (this.abort.signal.aborted) return;
        try {
          if (!(await this.options.reachable())) throw new Error('no answer');
          if (this.abort.signal.aborted) return;
          await step.run();
          break;
        } catch (error) {
          this.firstAttemptEnded();
          if (this.abort.signal.aborted) return;
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof TopicMismatchError) {
            logger.error({ step: step.name, broker }, `${broker}: ${reason}`);
            throw error;
          }
          failures += 1;
          const delayMs = backoffDelay(failures, backoff);
          logger.warn(
            { step: step.name, attempt: failures, nextAttemptInMs: delayMs, err: reason },
            `${broker} is not available (${step.name}: ${reason}); commands still work and events wait in the ` +
              `outbox. Next attempt in ${delayMs} ms.`,
          );
          await sleep(delayMs, this.abort.signal);
        }
      }
    }
    this.done = true;
    logger.info(
      { broker, attempts: failures + 1, ms: Date.now() - t0 },
      failures
        ? `${broker} is back: ${steps.map((s) => s.name).join(', ')} done`
        : `${broker}: ${steps.map((s) => s.name).join(', ')} done`,
    );
  }
}
