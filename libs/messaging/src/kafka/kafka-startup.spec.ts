import { TopicMismatchError } from './ensure-topics';
import { KafkaStartup, type KafkaStartupStep } from './kafka-startup';

const backoff = { initialMs: 5, maxMs: 20, multiplier: 2 };

function recordingLogger() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** A step that fails `failures` times, then succeeds; counts its runs. */
function flaky(name: string, failures: number, error: () => Error = () => new Error(`${name} refused`)) {
  const step = {
    name,
    runs: 0,
    run: async () => {
      step.runs += 1;
      if (step.runs <= failures) throw error();
    },
  };
  return step;
}

describe('KafkaStartup', () => {
  it('runs the steps in order until each succeeds, never repeating one that did, and logs each failure', async () => {
    const { lines, logger } = recordingLogger();
    const order: string[] = [];
    const topics = flaky('topics', 0);
    const producer = flaky('producer', 2);
    const track = (step: KafkaStartupStep & { runs: number }) => ({
      name: step.name,
      run: () => (order.push(step.name), step.run()),
    });
    const startup = new KafkaStartup({
      broker: 'Kafka at b:9092 (KAFKA_BROKERS)',
      reachable: async () => true,
      steps: [track(topics), track(producer)],
      logger,
      backoff,
    });
    await startup.started;
    expect(order).toEqual(['topics', 'producer', 'producer', 'producer']);
    expect(startup.isStarted()).toBe(true);
    expect(lines.map((line) => [line.level, line.fields])).toEqual([
      ['warn', { step: 'producer', attempt: 1, nextAttemptInMs: 5, err: 'producer refused' }],
      ['warn', { step: 'producer', attempt: 2, nextAttemptInMs: 10, err: 'producer refused' }],
      ['info', expect.objectContaining({ broker: 'Kafka at b:9092 (KAFKA_BROKERS)', attempts: 3 })],
    ]);
    expect(lines[0]!.message).toContain(
      'Kafka at b:9092 (KAFKA_BROKERS) is not available (producer: producer refused)',
    );
    expect(lines[2]!.message).toBe('Kafka at b:9092 (KAFKA_BROKERS) is back: topics, producer done');
  });

  it('tries no step while the broker does not answer the probe; the first attempt settles after one failure', async () => {
    const { lines, logger } = recordingLogger();
    let reachable = false;
    const topics = flaky('topics', 0);
    const startup = new KafkaStartup({
      broker: 'K',
      reachable: async () => reachable,
      steps: [topics],
      logger,
      backoff,
    });
    await startup.firstAttempt;
    expect({ runs: topics.runs, started: startup.isStarted() }).toEqual({ runs: 0, started: false });
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { step: 'topics', err: 'no answer' } });
    reachable = true;
    await startup.started;
    expect(topics.runs).toBe(1);
  });

  it('gives up at once on a topic that differs from the catalogue (an operator must act)', async () => {
    const { lines, logger } = recordingLogger();
    const mismatch = new TopicMismatchError(['t: 3 partitions, the catalogue says 6']);
    const topics = flaky('topics', 1, () => mismatch);
    const startup = new KafkaStartup({ broker: 'K', reachable: async () => true, steps: [topics], logger, backoff });
    await expect(startup.started).rejects.toBe(mismatch);
    expect(topics.runs).toBe(1);
    expect(lines).toMatchObject([{ level: 'error', fields: { step: 'topics' } }]);
  });

  it('stops retrying on stop(), without waiting out the backoff', async () => {
    const { logger } = recordingLogger();
    const topics = flaky('topics', Number.POSITIVE_INFINITY);
    const startup = new KafkaStartup({
      broker: 'K',
      reachable: async () => true,
      steps: [topics],
      logger,
      backoff: { initialMs: 60_000, maxMs: 60_000, multiplier: 1 },
    });
    await startup.firstAttempt;
    const t0 = Date.now();
    await startup.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect({ runs: topics.runs, started: startup.isStarted() }).toEqual({ runs: 1, started: false });
  });
});
