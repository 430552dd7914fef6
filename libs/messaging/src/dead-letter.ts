import { InvalidMessageError, type IncomingMessage } from './message-bus.port';

/** `<topic>.dlq` (the topic catalogue's rule, libs/contracts). */
export { deadLetterTopicOf as defaultDeadLetterTopic } from '@integrations/contracts';

/** Headers added to a dead-lettered message; the original headers, key and value are kept as they were. */
export const DEAD_LETTER_HEADERS = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  /** `parse` (the message is invalid, never retried) or `handle` (the handler kept failing). */
  stage: 'dlq-stage',
  /** Handler attempts made; 0 for a parse failure. */
  attempts: 'dlq-attempts',
  errorClass: 'dlq-error-class',
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  failedAt: 'dlq-failed-at',
} as const;

export type FailureStage = 'parse' | 'handle';

export interface FailureReason {
  errorClass: string;
  errorCode?: string;
  errorMessage: string;
}

/** Header values are bounded so one pathological error cannot blow the record size limit. */
const MAX_REASON_LENGTH = 1_000;

export const WITHHELD_PARSE_MESSAGE =
  'The message could not be parsed; details withheld because the parser error may quote the message';

/**
 * What we are allowed to say about a failure. Parse errors other than InvalidMessageError come from
 * code we do not control (JSON.parse quotes the offending input, which may hold a secret), so only
 * their class name is kept. Handler errors follow the platform rule that no error message carries a
 * secret, so their message is kept.
 */
export function describeFailure(stage: FailureStage, error: unknown): FailureReason {
  const errorClass = error instanceof Error ? error.name : typeof error;
  const rawCode = (error as { code?: unknown } | null | undefined)?.code;
  const errorCode = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : undefined;
  const canQuote = stage === 'handle' || error instanceof InvalidMessageError;
  const rawMessage = canQuote ? (error instanceof Error ? error.message : String(error)) : WITHHELD_PARSE_MESSAGE;
  return {
    errorClass,
    ...(errorCode !== undefined ? { errorCode } : {}),
    errorMessage: truncate(rawMessage, MAX_REASON_LENGTH),
  };
}

export function deadLetterHeaders(input: {
  message: IncomingMessage;
  groupId: string;
  stage: FailureStage;
  attempts: number;
  reason: FailureReason;
  failedAt: Date;
}): Record<string, string> {
  const { message, reason } = input;
  const h = DEAD_LETTER_HEADERS;
  return {
    ...message.headers,
    [h.originalTopic]: message.topic,
    [h.originalPartition]: String(message.partition),
    [h.originalOffset]: message.offset,
    [h.consumerGroup]: input.groupId,
    [h.stage]: input.stage,
    [h.attempts]: String(input.attempts),
    [h.errorClass]: reason.errorClass,
    ...(reason.errorCode !== undefined ? { [h.errorCode]: reason.errorCode } : {}),
    [h.errorMessage]: reason.errorMessage,
    [h.failedAt]: input.failedAt.toISOString(),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
