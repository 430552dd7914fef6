import { Kafka, type ISocketFactory, type RetryOptions } from 'kafkajs';
import { DEFAULT_HANDLER_BACKOFF, type BackoffOptions } from '../backoff';
import { createLog, jsonLinesToStderr, type LogLevel, type MessagingLogger } from '../logging';
import type {
  MessageBus,
  OutgoingMessage,
  PublishOptions,
  Subscription,
  SubscriptionOptions,
} from '../message-bus.port';
import { MessageBusClosedError } from '../messaging.errors';
import { BrokerProbe } from './broker-probe';
import { createKafkaLogCreator, toKafkaLogLevel } from './kafka-log-creator';
import { DEFAULT_CONSUMER_TUNING, KafkaSubscription, type ConsumerTuning } from './kafka-subscription';
import { ResilientProducer } from './resilient-producer';

export interface KafkaRetryOptions {
  /** Attempts after the first, for each client request (send, join, fetch, metadata...). */
  retries?: number;
  initialRetryTimeMs?: number;
  maxRetryTimeMs?: number;
}

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /** Receives structured entries from the bus and from kafkajs. Default: JSON lines on stderr. */
  logger?: MessagingLogger;
  /** Default `warn`. */
  logLevel?: LogLevel;
  /**
   * kafkajs request retries. The defaults ride out roughly 30 s of broker unavailability before a
   * publish fails (then the producer is recreated on the next publish).
   */
  retry?: KafkaRetryOptions;
  /** Backoff between handler attempts. Default 100 ms doubling, capped at 10 s. */
  handlerBackoff?: Partial<BackoffOptions>;
  /** Consumer timings; the defaults favour low latency (100 ms fetch wait, 1 s heartbeats). */
  consumer?: Partial<ConsumerTuning>;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Replaces kafkajs's TCP socket factory (TLS setups, or tests that cut connections). */
  socketFactory?: ISocketFactory;
  /**
   * How long closing (a subscription, the producer) waits for the broker: a commit, leaving the
   * group, a flush. A healthy broker answers in milliseconds; one that does not answer would keep a
   * shutdown in kafkajs's retries for up to a minute. Default 2000.
   */
  closeGraceMs?: number;
}

const DEFAULT_RETRY: Required<KafkaRetryOptions> = { retries: 10, initialRetryTimeMs: 300, maxRetryTimeMs: 5_000 };
const DEFAULT_CLOSE_GRACE_MS = 2_000;

export function toKafkaRetry(retry: KafkaRetryOptions | undefined): RetryOptions {
  const merged = { ...DEFAULT_RETRY, ...retry };
  return { retries: merged.retries, initialRetryTime: merged.initialRetryTimeMs, maxRetryTime: merged.maxRetryTimeMs };
}

/** The kafkajs adapter of the MessageBus port. */
export function createKafkaMessageBus(options: KafkaMessageBusOptions): MessageBus {
  if (options.brokers.length === 0) throw new RangeError('createKafkaMessageBus needs at least one broker');
  const logLevel = options.logLevel ?? 'warn';
  const hook = options.logger ?? jsonLinesToStderr;
  const log = createLog(hook, logLevel);
  const retry = toKafkaRetry(options.retry);
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    retry,
    logLevel: toKafkaLogLevel(logLevel),
    logCreator: createKafkaLogCreator(hook, logLevel),
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeout: options.connectionTimeoutMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeout: options.requestTimeoutMs } : {}),
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  });
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const producer = new ResilientProducer(kafka, retry, log, closeGraceMs);
  const probe = new BrokerProbe(kafka);
  const subscriptions = new Set<KafkaSubscription<unknown>>();
  const tuning: ConsumerTuning = { ...DEFAULT_CONSUMER_TUNING, ...options.consumer };
  const handlerBackoff: BackoffOptions = { ...DEFAULT_HANDLER_BACKOFF, ...options.handlerBackoff };
  let disconnecting: Promise<void> | undefined;

  const disconnect = async (): Promise<void> => {
    // Consumers first: their in-flight messages may still need the producer for dead letters.
    await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    await Promise.all([producer.close(), probe.close()]);
  };

  return {
    connect: () => (disconnecting ? Promise.reject(new MessageBusClosedError('connect')) : producer.connect()),

    publish: (topic: string, messages: OutgoingMessage[], publishOptions?: PublishOptions) =>
      producer.send(
        topic,
        messages.map((m) => ({ key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) })),
        publishOptions?.signal,
      ),

    async subscribe<T>(subscriptionOptions: SubscriptionOptions<T>): Promise<Subscription> {
      if (disconnecting) throw new MessageBusClosedError('subscribe');
      const subscription = new KafkaSubscription<T>(subscriptionOptions, {
        kafka,
        tuning,
        retry,
        handlerBackoff,
        closeGraceMs,
        log,
        service: options.clientId,
        send: (topic, messages) => producer.send(topic, messages),
        onClosed: (closed) => subscriptions.delete(closed),
      });
      subscriptions.add(subscription as KafkaSubscription<unknown>);
      try {
        await subscription.start();
      } catch (error) {
        subscriptions.delete(subscription as KafkaSubscription<unknown>);
        throw error;
      }
      return subscription;
    },

    disconnect: () => {
      disconnecting ??= disconnect();
      return disconnecting;
    },

    isConnected: () => producer.isConnected(),

    isReachable: (timeoutMs?: number) => (disconnecting ? Promise.resolve(false) : probe.isReachable(timeoutMs)),
  };
}
