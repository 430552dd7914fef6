export * from './message-bus.port';
export { MessageBusClosedError, PublishFailedError } from './messaging.errors';
export { createKafkaMessageBus, type KafkaMessageBusOptions, type KafkaRetryOptions } from './kafka/kafka-message-bus';
export { ensureTopics, type TopicSpec } from './kafka/ensure-topics';
export { DEAD_LETTER_HEADERS, defaultDeadLetterTopic, type FailureStage } from './dead-letter';
export type { LogEntry, LogLevel, MessagingLogger } from './logging';
export type { BackoffOptions } from './backoff';
export type { ConsumerTuning } from './kafka/kafka-subscription';
