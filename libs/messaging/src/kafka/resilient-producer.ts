import { Partitioners, type Kafka, type Message, type Producer, type RetryOptions } from 'kafkajs';
import { backoffDelay, type BackoffOptions } from '../backoff';
import type { Log } from '../logging';
import { MessageBusClosedError, PublishFailedError } from '../messaging.errors';
import { settlesWithin, unlessAborted } from '../settle';

const RECONNECT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, multiplier: 2 };

/**
 * One idempotent kafkajs producer, connected lazily and replaced after any failed send.
 *
 * Why replace it: kafkajs gives up after its retries (KafkaJSNumberOfRetriesExceeded, or a
 * non-retriable error such as a lost connection it did not re-establish; tulios/kafkajs#979, #919),
 * and after a give-up the idempotent producer's sequence numbers may no longer match the broker's
 * (the failed batch may have been written). A fresh producer gets a new producer id, so the next
 * publish starts clean. The price is a possible duplicate, which at-least-once delivery accepts.
 * For the same reason bounded retries are fine here, although kafkajs warns that they weaken
 * exactly-once: we never promised exactly-once, and an unbounded retry would hang `publish` forever.
 *
 * A send can be abandoned (the caller's signal, or `close()`): it fails at once and its producer is
 * replaced, like after a failure, while kafkajs's retries of it run out unobserved. So neither a
 * caller that stops nor a close waits out a broker outage.
 */
export class ResilientProducer {
  private producer: Producer | undefined;
  private opening: Promise<Producer> | undefined;
  private connected = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Aborted by close(): abandons every send in flight. */
  private readonly closeSignal = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly retry: RetryOptions,
    private readonly log: Log,
    /** How long close() waits for the producer's disconnect (a flush) before leaving it behind. */
    private readonly closeGraceMs: number,
  ) {}

  isConnected(): boolean {
    return this.connected && !this.closed;
  }

  async connect(): Promise<void> {
    await this.current();
  }

  async send(topic: string, messages: Message[], signal?: AbortSignal): Promise<void> {
    if (messages.length === 0) return;
    const abandon = signal ? AbortSignal.any([signal, this.closeSignal.signal]) : this.closeSignal.signal;
    let producer: Producer;
    try {
      producer = await unlessAborted(this.current(), abandon);
    } catch (error) {
      if (error instanceof MessageBusClosedError || this.closed) throw new MessageBusClosedError('publish');
      if (!abandon.aborted) this.scheduleReconnect(1);
      throw new PublishFailedError(topic, error);
    }
    try {
      await unlessAborted(producer.send({ topic, messages, acks: -1 }), abandon);
    } catch (error) {
      if (this.closed) throw new MessageBusClosedError('publish');
      if (abandon.aborted) {
        // The caller stopped waiting: the send may still land; its producer is replaced (not awaited).
        this.log('warn', 'Publish abandoned by its caller; the producer will be recreated on the next publish', {
          topic,
          messageCount: messages.length,
        });
        void this.discard(producer);
        throw new PublishFailedError(topic, new Error('abandoned before the broker acknowledged it'));
      }
      this.log('error', 'Publish failed; the producer will be recreated on the next publish', {
        topic,
        messageCount: messages.length,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      await this.discard(producer);
      this.scheduleReconnect(1);
      throw new PublishFailedError(topic, error);
    }
  }

  /** Flushes (kafkajs resolves in-flight sends before closing sockets) and disconnects; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    this.closeSignal.abort(new MessageBusClosedError('publish'));
    clearTimeout(this.reconnectTimer);
    // A connection attempt in flight is not waited for: open() disconnects what it opens after a close.
    const producer = this.producer;
    this.producer = undefined;
    this.connected = false;
    if (!producer) return;
    const disconnected = producer.disconnect().catch((error: unknown) => this.logDisconnectError(error));
    if (!(await settlesWithin(disconnected, this.closeGraceMs)))
      this.log(
        'warn',
        `Producer did not disconnect within ${this.closeGraceMs} ms (the broker does not answer); left behind`,
      );
  }

  private current(): Promise<Producer> {
    if (this.closed) return Promise.reject(new MessageBusClosedError('publish'));
    if (this.producer && this.connected) return Promise.resolve(this.producer);
    // Concurrent publishes while (re)connecting share one connection attempt.
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs allows at most 5 with idempotence; 1 keeps a key's order strict even across retries.
      maxInFlightRequests: 1,
      retry: this.retry,
      // Explicit partitioner: the Java-compatible murmur2 one (same keys -> same partitions as other
      // clients), and it silences kafkajs's "default partitioner changed" warning.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await producer.disconnect().catch(() => undefined);
      throw new MessageBusClosedError('publish');
    }
    this.producer = producer;
    this.connected = true;
    this.log('info', 'Producer connected');
    return producer;
  }

  private async discard(producer: Producer): Promise<void> {
    if (this.producer === producer) {
      this.producer = undefined;
      this.connected = false;
    }
    await producer.disconnect().catch((error: unknown) => this.logDisconnectError(error));
  }

  /**
   * Reconnects in the background so `isConnected()` (readiness) recovers even when nothing publishes;
   * a publish in the meantime joins or starts its own attempt.
   */
  private scheduleReconnect(failures: number): void {
    if (this.closed || this.reconnectTimer) return;
    const delayMs = backoffDelay(failures, RECONNECT_BACKOFF);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.connected) return;
      this.current().catch((error: unknown) => {
        if (this.closed) return;
        this.log('warn', 'Producer reconnect failed, trying again', {
          attempt: failures,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        this.scheduleReconnect(failures + 1);
      });
    }, delayMs);
    // A pending reconnect must not keep a finished process alive.
    this.reconnectTimer.unref();
  }

  private logDisconnectError(error: unknown): void {
    this.log('warn', 'Producer disconnect failed', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
