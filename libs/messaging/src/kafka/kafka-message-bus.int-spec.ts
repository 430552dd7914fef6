import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import {
  createKafkaMessageBus,
  DEAD_LETTER_HEADERS as H,
  ensureTopics,
  InvalidMessageError,
  PublishFailedError,
  type IncomingMessage,
  type LogEntry,
  type MessageBus,
  type Subscription,
} from '../index';
import { createLogger, currentContext, metricsRegistry } from '@integrations/service-kit';
import { startTcpProxy } from '@integrations/testing';

// Until @integrations/testing offers getTestInfra(), the brokers come from the environment.
function kafkaBrokers(): string[] {
  const raw = process.env.KAFKA_BROKERS;
  if (!raw) {
    throw new Error(
      'KAFKA_BROKERS is not set: start local infrastructure with `bash tools/infra/infra.sh up` and export KAFKA_BROKERS=127.0.0.1:9092',
    );
  }
  return raw.split(',').map((b) => b.trim());
}

// testTimeout in a jest project config is ignored (it is a global option), so set it here.
jest.setTimeout(60_000);

const brokers = kafkaBrokers();
const runId = randomUUID().slice(0, 8);
const topicName = (name: string) => `it-messaging-${runId}-${name}`;
const groupName = (name: string) => `it-messaging-${runId}-${name}`;

async function createTopics(...names: string[]): Promise<void> {
  await ensureTopics(
    brokers,
    names.flatMap((topic) => [
      { topic, numPartitions: 3, replicationFactor: 1 },
      { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 },
    ]),
  );
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const fastRetries = { handlerBackoff: { initialMs: 20, maxMs: 100 } };
const logs: LogEntry[] = [];
let bus: MessageBus;
const subscriptions: Subscription[] = [];

/** Collects every message of a dead-letter topic, as is. */
async function collectRaw(topic: string, group: string): Promise<IncomingMessage[]> {
  const seen: IncomingMessage[] = [];
  subscriptions.push(
    await bus.subscribe({
      groupId: group,
      topics: [topic],
      fromBeginning: true,
      parse: (m) => m,
      handle: async (m) => void seen.push(m),
    }),
  );
  return seen;
}

beforeAll(async () => {
  bus = createKafkaMessageBus({
    brokers,
    clientId: `it-messaging-${runId}`,
    logger: (entry) => logs.push(entry),
    logLevel: 'debug',
    ...fastRetries,
  });
  await bus.connect();
});

afterAll(async () => {
  await Promise.all(subscriptions.map((s) => s.close()));
  await bus?.disconnect();
});

describe('kafkajs message bus (real Kafka)', () => {
  it('delivers key, value and headers, and keeps per-key order for 500 messages over 10 keys', async () => {
    const topic = topicName('order');
    await createTopics(topic);
    const received: IncomingMessage[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: groupName('order'),
        topics: [topic],
        fromBeginning: true,
        parse: (m) => JSON.parse(m.value ?? '') as { key: string; seq: number },
        handle: async (_payload, m) => void received.push(m),
      }),
    );

    // 10 publish calls of 50 messages, keys interleaved inside each call.
    for (let chunk = 0; chunk < 10; chunk++) {
      const messages = Array.from({ length: 50 }, (_, i) => {
        const key = `key-${i % 10}`;
        const seq = chunk * 5 + Math.floor(i / 10);
        return { key, value: JSON.stringify({ key, seq }), headers: { 'ce-id': `${key}-${seq}`, source: 'it' } };
      });
      await bus.publish(topic, messages);
    }
    expect(bus.isConnected()).toBe(true);

    await waitFor('500 messages', () => received.length >= 500);
    expect(received).toHaveLength(500);

    const first = received.find((m) => m.headers['ce-id'] === 'key-3-0');
    expect(first).toMatchObject({
      topic,
      key: 'key-3',
      value: JSON.stringify({ key: 'key-3', seq: 0 }),
      headers: { 'ce-id': 'key-3-0', source: 'it' },
    });

    const byKey = new Map<string, { seqs: number[]; partitions: Set<number> }>();
    for (const m of received) {
      const { seq } = JSON.parse(m.value ?? '') as { seq: number };
      const entry = byKey.get(m.key ?? '') ?? { seqs: [], partitions: new Set() };
      entry.seqs.push(seq);
      entry.partitions.add(m.partition);
      byKey.set(m.key ?? '', entry);
    }
    expect(byKey.size).toBe(10);
    for (const { seqs, partitions } of byKey.values()) {
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(partitions.size).toBe(1);
    }
  });

  it('dead-letters malformed messages with the reason in headers and goes on with the next ones', async () => {
    const topic = topicName('malformed');
    await createTopics(topic);
    const secret = 'zz9secretzz';
    const handled: number[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: groupName('malformed'),
        topics: [topic],
        fromBeginning: true,
        parse: (m) => {
          const body = JSON.parse(m.value ?? '') as { n?: unknown };
          if (typeof body.n !== 'number') throw new InvalidMessageError('n: expected a number');
          return body.n;
        },
        handle: async (n) => void handled.push(n),
      }),
    );
    const deadLetters = await collectRaw(`${topic}.dlq`, groupName('malformed-dlq'));

    const key = 'stream-1';
    await bus.publish(topic, [
      { key, value: '{"n":1}' },
      { key, value: secret, headers: { correlationid: 'c-2' } },
      { key, value: `{"n":"${secret}"}` },
      { key, value: '{"n":2}' },
    ]);

    await waitFor('valid messages handled', () => handled.length === 2);
    await waitFor('dead letters', () => deadLetters.length === 2);
    expect(handled).toEqual([1, 2]);

    const [notJson, invalid] = deadLetters;
    expect(notJson.value).toBe(secret);
    expect(notJson.key).toBe(key);
    expect(notJson.headers).toMatchObject({
      correlationid: 'c-2',
      [H.originalTopic]: topic,
      [H.stage]: 'parse',
      [H.attempts]: '0',
      [H.errorClass]: 'SyntaxError',
      [H.consumerGroup]: groupName('malformed'),
    });
    expect(invalid.headers).toMatchObject({
      [H.originalTopic]: topic,
      [H.errorClass]: 'InvalidMessageError',
      [H.errorCode]: 'MESSAGING.INVALID_MESSAGE',
      [H.errorMessage]: 'n: expected a number',
    });
    // The offsets point back at the originals: the 2nd and 3rd records of one partition.
    expect(Number(invalid.headers[H.originalOffset])).toBe(Number(notJson.headers[H.originalOffset]) + 1);
    expect(invalid.headers[H.originalPartition]).toBe(notJson.headers[H.originalPartition]);

    for (const dead of deadLetters) expect(JSON.stringify(dead.headers)).not.toContain(secret);
    expect(JSON.stringify(logs)).not.toContain(secret);
  });

  it('retries a failing handler, dead-letters one that never succeeds, and continues', async () => {
    const topic = topicName('retry');
    await createTopics(topic);
    const calls = new Map<string, number>();
    const succeeded: string[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: groupName('retry'),
        topics: [topic],
        fromBeginning: true,
        maxAttempts: 4,
        parse: (m) => m.value ?? '',
        handle: async (name) => {
          const call = (calls.get(name) ?? 0) + 1;
          calls.set(name, call);
          if (name === 'flaky' && call <= 2) throw new Error(`flaky failure ${call}`);
          if (name === 'poison') throw Object.assign(new Error('poison always fails'), { code: 'TEST.POISON' });
          succeeded.push(name);
        },
      }),
    );
    const deadLetters = await collectRaw(`${topic}.dlq`, groupName('retry-dlq'));

    const key = 'same-partition';
    await bus.publish(
      topic,
      ['flaky', 'poison', 'after'].map((value) => ({ key, value })),
    );

    await waitFor('the message after the poison one', () => succeeded.includes('after'));
    await waitFor('the dead letter', () => deadLetters.length === 1);
    expect(succeeded).toEqual(['flaky', 'after']);
    expect(calls.get('flaky')).toBe(3);
    expect(calls.get('poison')).toBe(4);
    expect(deadLetters[0].value).toBe('poison');
    expect(deadLetters[0].headers).toMatchObject({
      [H.stage]: 'handle',
      [H.attempts]: '4',
      [H.errorClass]: 'Error',
      [H.errorCode]: 'TEST.POISON',
      [H.errorMessage]: 'poison always fails',
    });
  });

  it('disconnect() lets the in-flight handler finish and commits only what was handled', async () => {
    const topic = topicName('shutdown');
    await createTopics(topic);
    const group = groupName('shutdown');
    const own = createKafkaMessageBus({ brokers, clientId: `it-shutdown-${runId}`, logger: () => undefined });
    const events: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    await own.subscribe({
      groupId: group,
      topics: [topic],
      fromBeginning: true,
      parse: (m) => m.value ?? '',
      handle: async (value) => {
        events.push(`start ${value}`);
        if (value === 'm1') await slow;
        events.push(`end ${value}`);
      },
    });
    const key = 'k';
    await own.publish(
      topic,
      ['m1', 'm2', 'm3'].map((value) => ({ key, value })),
    );
    await waitFor('the first handler to start', () => events.includes('start m1'));

    const disconnected = own.disconnect();
    setTimeout(release, 300);
    await expect(disconnected).resolves.toBeUndefined();
    await expect(own.disconnect()).resolves.toBeUndefined();
    expect(events).toEqual(['start m1', 'end m1']);
    expect(own.isConnected()).toBe(false);

    // The same group resumes after m1: it was committed, m2 and m3 were not handled, so not committed.
    const resumed: string[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: group,
        topics: [topic],
        parse: (m) => m.value ?? '',
        handle: async (value) => void resumed.push(value),
      }),
    );
    await waitFor('the remaining messages', () => resumed.length === 2);
    expect(resumed).toEqual(['m2', 'm3']);
  });

  it('publishes and consumes again after a broker outage', async () => {
    const topic = topicName('outage');
    await createTopics(topic);
    const [host, port] = brokers[0].split(':');
    const proxy = await startTcpProxy({ host, port: Number(port) });
    // Single-node cluster: the broker advertises the address we dial, so every connection of this
    // bus (seed and leader) goes through the proxy.
    const socketFactory: ISocketFactory = ({ onConnect }) =>
      net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
    const flaky = createKafkaMessageBus({
      brokers,
      clientId: `it-outage-${runId}`,
      logger: () => undefined,
      retry: { retries: 2, initialRetryTimeMs: 50, maxRetryTimeMs: 200 },
      connectionTimeoutMs: 500,
      requestTimeoutMs: 2_000,
      // The member cut off by the outage cannot leave the group; the new one waits for its session
      // to expire before it gets the partitions back. 6 s is the broker's minimum.
      consumer: { sessionTimeout: 6_000 },
      socketFactory,
    });
    const values: string[] = [];
    try {
      await flaky.subscribe({
        groupId: groupName('outage'),
        topics: [topic],
        fromBeginning: true,
        parse: (m) => m.value ?? '',
        handle: async (value) => void values.push(value),
      });
      await flaky.publish(topic, [{ key: 'a', value: 'before' }]);
      await waitFor('the message before the outage', () => values.includes('before'));
      expect(flaky.isConnected()).toBe(true);
      await expect(flaky.isReachable()).resolves.toBe(true);

      await proxy.cut();
      // Readiness sees the outage at once, before any publish fails (a consumer-only service never publishes).
      await expect(flaky.isReachable()).resolves.toBe(false);
      await expect(flaky.publish(topic, [{ key: 'a', value: 'during' }])).rejects.toBeInstanceOf(PublishFailedError);
      expect(flaky.isConnected()).toBe(false);
      await new Promise((r) => setTimeout(r, 1_000));

      await proxy.restore();
      await expect(flaky.isReachable()).resolves.toBe(true);
      await flaky.publish(topic, [{ key: 'a', value: 'after' }]);
      expect(flaky.isConnected()).toBe(true);
      await waitFor('the consumer to resume after the outage', () => values.includes('after'), 30_000);
      // 'before' may come twice (at-least-once) if its offset commit was cut by the outage.
      expect(values.filter((v) => v !== 'before')).toEqual(['after']);
    } finally {
      await flaky.disconnect();
      await proxy.stop();
    }
    await expect(flaky.isReachable()).resolves.toBe(false);
  });

  it('stops waiting for a broker that does not answer: an aborted publish fails at once, disconnect() within its grace', async () => {
    const topic = topicName('stuck');
    await createTopics(topic);
    const [host, port] = brokers[0].split(':');
    const proxy = await startTcpProxy({ host, port: Number(port) });
    const socketFactory: ISocketFactory = ({ onConnect }) =>
      net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
    const warnings: LogEntry[] = [];
    // kafkajs's default retries: a publish or a commit during the outage would wait about 40 s.
    const stuck = createKafkaMessageBus({
      brokers,
      clientId: `it-stuck-${runId}`,
      logger: (entry) => void (entry.level === 'warn' && warnings.push(entry)),
      closeGraceMs: 1_000,
      socketFactory,
    });
    const values: string[] = [];
    try {
      await stuck.subscribe({
        groupId: groupName('stuck'),
        topics: [topic],
        fromBeginning: true,
        parse: (m) => m.value ?? '',
        handle: async (value) => void values.push(value),
      });
      await stuck.publish(topic, [{ key: 'a', value: 'before' }]);
      await waitFor('the message before the outage', () => values.includes('before'));
      await proxy.cut();

      const stop = new AbortController();
      const abandoned = stuck.publish(topic, [{ key: 'a', value: 'abandoned' }], { signal: stop.signal });
      const inFlight = stuck.publish(topic, [{ key: 'a', value: 'in flight at the close' }]);
      inFlight.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      stop.abort();
      await expect(abandoned).rejects.toBeInstanceOf(PublishFailedError);

      const closing = Date.now();
      await stuck.disconnect();
      const closedInMs = Date.now() - closing;
      await expect(inFlight).rejects.toMatchObject({ code: 'MESSAGING.CLOSED' });
      // The consumer and the producer get their grace each (in turn), never kafkajs's retries.
      expect(closedInMs).toBeLessThan(10_000);
      // Whether the consumer needs its grace depends on how the cut meets its sockets (a refused
      // reconnect ends its leave at once; a pending request waits): when it did, the log says so.
      const consumerWaited = warnings.some((w) => /^Consumer did not close within 1000 ms/.test(w.message));
      if (consumerWaited) expect(closedInMs).toBeGreaterThanOrEqual(1_000);
      expect(warnings.map((w) => w.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Publish abandoned by its caller/)]),
      );
    } finally {
      await stuck.disconnect();
      await proxy.stop();
    }
  });

  it('reports consumer lag per group and partition: above 0 while the consumer is behind, then 0', async () => {
    const topic = topicName('lag');
    const group = groupName('lag');
    await createTopics(topic);
    await bus.publish(
      topic,
      ['m1', 'm2', 'm3', 'm4', 'm5'].map((value) => ({ key: 'one-partition', value })),
    );
    const lagOf = async (partition: number): Promise<number | undefined> => {
      const prefix = `kafka_consumer_lag_messages{service="it-messaging-${runId}",group="${group}",topic="${topic}",partition="${partition}"} `;
      const line = (await metricsRegistry.metrics()).split('\n').find((l) => l.startsWith(prefix));
      return line === undefined ? undefined : Number(line.slice(prefix.length));
    };

    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    let partition = -1;
    subscriptions.push(
      await bus.subscribe({
        groupId: group,
        topics: [topic],
        fromBeginning: true,
        parse: (m) => m,
        handle: async (m) => {
          partition = m.partition;
          await held; // the consumer is stuck on m1: 5 messages are not processed yet
          handled.push(m.value ?? '');
        },
      }),
    );
    await waitFor('the first message to reach the handler', () => partition >= 0, 30_000);
    expect(await lagOf(partition)).toBe(5);

    release();
    await waitFor('every message to be handled', () => handled.length === 5, 30_000);
    const deadline = Date.now() + 10_000;
    while ((await lagOf(partition)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await lagOf(partition)).toBe(0);
  });

  it("runs the handler in the context of the message's correlation id, so its log lines carry it", async () => {
    const topic = topicName('correlation');
    await createTopics(topic);
    const lines: Array<Record<string, unknown>> = [];
    // The services' logger, writing to an array instead of stdout.
    const logger = createLogger('it-consumer', 'info', {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const seen: Array<{ value: string; correlationId: string | undefined }> = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: groupName('correlation'),
        topics: [topic],
        fromBeginning: true,
        parse: (m) => m.value ?? '',
        handle: async (value) => {
          seen.push({ value, correlationId: currentContext()?.correlationId });
          logger.info({ value }, 'event handled');
        },
      }),
    );
    await bus.publish(topic, [
      { key: 'k', value: 'with-id', headers: { correlationid: 'req-1234:abc' } },
      { key: 'k', value: 'binary-mode', headers: { ce_correlationid: 'req-5678' } },
      { key: 'k', value: 'forged', headers: { correlationid: 'a"}\n{"level":"fatal' } },
      { key: 'k', value: 'none' },
    ]);
    await waitFor('the four messages', () => seen.length === 4, 30_000);
    expect(seen).toEqual([
      { value: 'with-id', correlationId: 'req-1234:abc' },
      { value: 'binary-mode', correlationId: 'req-5678' },
      { value: 'forged', correlationId: undefined },
      { value: 'none', correlationId: undefined },
    ]);
    expect(lines.map((l) => [l.value, l.correlationId])).toEqual([
      ['with-id', 'req-1234:abc'],
      ['binary-mode', 'req-5678'],
      ['forged', undefined],
      ['none', undefined],
    ]);
  });
});
