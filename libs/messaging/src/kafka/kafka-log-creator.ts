import { logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import type { LogLevel, MessagingLogger } from '../logging';
import { LOG_LEVEL_RANK } from '../logging';

/**
 * kafkajs extras we pass on. An allow-list rather than a deny-list: kafkajs may attach request
 * payloads to some entries, and nothing that could contain a message value may reach a log line.
 */
const SAFE_FIELDS = new Set([
  'broker',
  'clientId',
  'correlationId',
  'apiName',
  'apiKey',
  'apiVersion',
  'groupId',
  'memberId',
  'leaderId',
  'generationId',
  'isLeader',
  'nodeId',
  'topic',
  'topics',
  'partition',
  'offset',
  'retryCount',
  'retryTime',
  'retryDelay',
  'duration',
  'timeout',
  'error',
  'errorCode',
  'stack',
]);

/** kafkajs warns about this on every idempotent producer we create; see kafka-producer.ts for why it is moot. */
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

export function toKafkaLogLevel(level: LogLevel): KafkaLogLevel {
  switch (level) {
    case 'debug':
      return KafkaLogLevel.DEBUG;
    case 'info':
      return KafkaLogLevel.INFO;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'error':
      return KafkaLogLevel.ERROR;
    default: {
      const _exhaustive: never = level;
      throw new Error(`Unknown log level ${String(_exhaustive)}`);
    }
  }
}

function fromKafkaLogLevel(level: KafkaLogLevel): LogLevel | undefined {
  switch (level) {
    case KafkaLogLevel.ERROR:
      return 'error';
    case KafkaLogLevel.WARN:
      return 'warn';
    case KafkaLogLevel.INFO:
      return 'info';
    case KafkaLogLevel.DEBUG:
      return 'debug';
    default:
      return undefined;
  }
}

function safeValue(key: string, value: unknown): unknown {
  if (key === 'error' && value instanceof Error) return `${value.name}: ${value.message}`;
  return value;
}

export function createKafkaLogCreator(hook: MessagingLogger, minLevel: LogLevel): logCreator {
  const min = LOG_LEVEL_RANK[minLevel];
  return () =>
    ({ namespace, level, log }) => {
      let mapped = fromKafkaLogLevel(level);
      if (!mapped) return;
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      if (mapped === 'warn' && EXPECTED_WARNINGS.includes(message)) mapped = 'debug';
      if (LOG_LEVEL_RANK[mapped] < min) return;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(extra)) {
        if (SAFE_FIELDS.has(key) && value !== undefined) fields[key] = safeValue(key, value);
      }
      try {
        hook({ ...fields, level: mapped, time: new Date().toISOString(), logger: 'kafkajs', namespace, message });
      } catch {
        // See createLog: logging must never break the client.
      }
    };
}
