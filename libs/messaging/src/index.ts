export * from './message-bus.port';
export { MessageBusClosedError, PublishFailedError } from './messaging.errors';
export { createKafkaMessageBus, type KafkaMessageBusOptions, type KafkaRetryOptions } from './kafka/kafka-message-bus';
export { ensureCatalogueTopics, type CatalogueTopicsOptions } from './kafka/catalogue-topics';
export { ensureTopics, TopicMismatchError, type TopicAlignment, type TopicSpec } from './kafka/ensure-topics';
export { DEAD_LETTER_HEADERS, defaultDeadLetterTopic, type FailureStage } from './dead-letter';
export type { LogEntry, LogLevel, MessagingLogger } from './logging';
export type { BackoffOptions } from './backoff';
export type { ConsumerTuning } from './kafka/kafka-subscription';
