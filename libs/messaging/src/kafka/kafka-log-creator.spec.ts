import { logLevel } from 'kafkajs';
import type { LogEntry } from '../logging';
import { createKafkaLogCreator } from './kafka-log-creator';

function capture(minLevel: 'debug' | 'info' | 'warn' | 'error') {
  const entries: LogEntry[] = [];
  const log = createKafkaLogCreator((e) => entries.push(e), minLevel)(logLevel.DEBUG);
  return { entries, log };
}

describe('createKafkaLogCreator', () => {
  it('maps kafkajs entries to structured entries, keeping only allow-listed fields', () => {
    const { entries, log } = capture('debug');
    log({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: '2026-01-01T00:00:00.000Z',
        logger: 'kafkajs',
        message: 'Failed to send messages',
        broker: '127.0.0.1:9092',
        retryCount: 2,
        error: new Error('Connection timeout'),
        messages: [{ key: 'k', value: 'SECRET-VALUE' }],
        topicMessages: 'SECRET-VALUE',
      },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'error',
      logger: 'kafkajs',
      namespace: 'Producer',
      message: 'Failed to send messages',
      broker: '127.0.0.1:9092',
      retryCount: 2,
      error: 'Error: Connection timeout',
    });
    expect(JSON.stringify(entries)).not.toContain('SECRET-VALUE');
  });

  it('drops entries below the minimum level', () => {
    const { entries, log } = capture('warn');
    const base = { namespace: 'x', label: '', log: { timestamp: '', message: 'm' } };
    log({ ...base, level: logLevel.INFO });
    log({ ...base, level: logLevel.DEBUG });
    log({ ...base, level: logLevel.WARN });
    expect(entries.map((e) => e.level)).toEqual(['warn']);
  });

  it("demotes kafkajs's warning about bounded idempotent retries, which is expected here", () => {
    const { entries, log } = capture('warn');
    log({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: { timestamp: '', message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees' },
    });
    expect(entries).toEqual([]);
  });
});
