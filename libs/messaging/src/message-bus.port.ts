/**
 * The one messaging seam of the platform. Services depend on this port, never on kafkajs directly,
 * so the adapter can be swapped (kafkajs is unmaintained; @confluentinc/kafka-javascript is the
 * planned successor).
 */
export interface OutgoingMessage {
  /** Partitioning key: the stream id, so one stream's messages stay in order. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface PublishOptions {
  /**
   * Stops waiting for the acknowledgements when it aborts: the publish then fails at once
   * (PublishFailedError), and the messages may or may not be written (like any failed publish).
   */
  signal?: AbortSignal;
}

export interface MessagePublisher {
  /** Resolves once every message is acknowledged by all in-sync replicas (acks = -1). */
  publish(topic: string, messages: OutgoingMessage[], options?: PublishOptions): Promise<void>;
}

/**
 * Thrown by a `parse` function (or anything it calls) to send a message to the dead-letter topic.
 * Its message becomes the dead-letter reason as is, so it must describe what is wrong without quoting
 * the message's values (they may hold secrets). Any other error thrown by `parse` is dead-lettered too,
 * but with its message withheld: `JSON.parse` errors, for one, quote the input.
 */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
  readonly code = 'MESSAGING.INVALID_MESSAGE';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface SubscriptionOptions<T> {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /**
   * Validates and decodes a message. Throwing InvalidMessageError (or any error) routes the message
   * to the dead-letter topic with the reason in headers; the consumer goes on with the next one.
   */
  parse: (message: IncomingMessage) => T;
  /** Handles a valid message. Errors are retried with backoff; after `maxAttempts` it is dead-lettered. */
  handle: (payload: T, message: IncomingMessage) => Promise<void>;
  /** Defaults to `<topic>.dlq`. */
  deadLetterTopic?: (topic: string) => string;
  maxAttempts?: number;
}

export interface Subscription {
  /**
   * Stops consuming; in-flight handlers finish first. Waits for the broker (commit, leaving the
   * group) a bounded time only: what was not committed is redelivered to the group.
   */
  close(): Promise<void>;
}

export interface MessageBus extends MessagePublisher {
  connect(): Promise<void>;
  subscribe<T>(options: SubscriptionOptions<T>): Promise<Subscription>;
  /**
   * Flushes and disconnects producer and every consumer; safe to call twice. Waits for a broker that
   * does not answer a bounded time only (`closeGraceMs`), abandoning sends in flight.
   */
  disconnect(): Promise<void>;
  /** true while the producer is connected. Local state only: it stays true through an outage until a publish fails. */
  isConnected(): boolean;
  /**
   * Readiness: a broker answers a metadata request within `timeoutMs` (default 1.5 s). Concurrent
   * calls share one request.
   */
  isReachable(timeoutMs?: number): Promise<boolean>;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
