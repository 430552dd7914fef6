import type { MessagePublisher, OutgoingMessage, PublishOptions } from '@integrations/messaging';
import type { UnpublishedCommit } from './event-store';
import type { StoredEvent } from './event-store.types';
import { metricsRegistry } from '@integrations/service-kit';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

function event(streamId: string, version: number, type = 'IntegrationUpdated'): StoredEvent {
  return {
    streamId,
    version,
    position: version,
    type,
    payload: { secret: 'never-logged' },
    metadata: { eventId: `${streamId}-${version}`, correlationId: 'c' },
    timestamp: new Date(0),
  };
}

/** The outbox as the relay sees it: the real one is covered by the integration tests. */
class OutboxStub {
  pending: UnpublishedCommit[] = [];
  marked: string[][] = [];
  reads = 0;

  add(...events: StoredEvent[]): void {
    const id = `${events[0]!.streamId}@${events[0]!.version}`;
    this.pending.push({ entryId: id, commitId: id, position: events[0]!.position, events });
  }
  async readUnpublished(limit: number) {
    this.reads += 1;
    return this.pending.slice(0, limit);
  }
  async markPublished(ids: readonly string[]) {
    this.marked.push([...ids]);
    this.pending = this.pending.filter((commit) => !ids.includes(commit.entryId));
  }
  async countUnpublished() {
    return this.pending.length;
  }
}

class PublisherStub implements MessagePublisher {
  sent: Array<{ topic: string; keys: string[] }> = [];
  messages: OutgoingMessage[] = [];
  failuresLeft = 0;
  delayMs = 0;
  async publish(topic: string, messages: OutgoingMessage[], _options?: PublishOptions) {
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    }
    this.sent.push({ topic, keys: messages.map((message) => message.key) });
    this.messages.push(...messages);
  }
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OutboxRelay', () => {
  let store: OutboxStub;
  let publisher: PublisherStub;
  let warnings: string[];
  let relay: OutboxRelay;

  function startRelay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    relay = new OutboxRelay({
      store,
      publisher,
      topicFor: (e) => (e.type === 'InternalOnly' ? null : e.type === 'ConfigChanged' ? 'config' : 'integration'),
      source: '/tests/relay',
      toMessage: (e) => ({ key: `${e.streamId}@${e.version}`, value: '{}' }),
      pollIntervalMs: 10,
      backoffMs: { initial: 10, max: 40 },
      logger: { warn: (message) => warnings.push(message) },
      ...options,
    });
    relay.start();
    return relay;
  }

  beforeEach(() => {
    store = new OutboxStub();
    publisher = new PublisherStub();
    warnings = [];
  });
  afterEach(() => relay?.stop());

  it('publishes a batch per topic in position order, skips internal events, then marks it published', async () => {
    store.add(event('a', 1), event('a', 2));
    store.add(event('cfg', 1, 'ConfigChanged'));
    store.add(event('b', 1), event('b', 2, 'InternalOnly'));
    store.add(event('a', 3));
    startRelay();
    await until(() => store.pending.length === 0);

    expect(publisher.sent).toEqual([
      { topic: 'integration', keys: ['a@1', 'a@2', 'b@1', 'a@3'] },
      { topic: 'config', keys: ['cfg@1'] },
    ]);
    expect(store.marked).toEqual([['a@1', 'cfg@1', 'b@1', 'a@3']]);
  });

  it('keeps the batch while the broker is down, backs off, and delivers it once it is back', async () => {
    store.add(event('a', 1));
    publisher.failuresLeft = 4;
    startRelay();
    await until(() => store.pending.length === 0);

    expect(publisher.sent).toEqual([{ topic: 'integration', keys: ['a@1'] }]);
    expect(store.marked).toEqual([['a@1']]);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe(
      'outbox relay: attempt 1 failed (Error: KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092); retrying in 10 ms',
    );
    expect(warnings.slice(1, 4).map((w) => w.match(/retrying in (\d+) ms/)?.[1])).toEqual(['20', '40', '40']);
    expect(warnings[4]).toBe('outbox relay: recovered after 4 failed attempt(s)');
    expect(warnings.join('\n')).not.toContain('never-logged');
  });

  it('publishes only while it holds its lease, and gives the lease up on stop', async () => {
    let held = false;
    const lease = { isHeld: () => held, start: jest.fn(), stop: jest.fn(async () => undefined) };
    store.add(event('a', 1));
    startRelay({ lease });
    expect(lease.start).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.reads).toBe(0);
    expect(relay.isActive()).toBe(false);
    held = true;
    await until(() => store.pending.length === 0);
    expect(publisher.sent).toEqual([{ topic: 'integration', keys: ['a@1'] }]);
    await relay.stop();
    expect(lease.stop).toHaveBeenCalledTimes(1);
  });

  it('finishes the in-flight batch on stop and then stops polling', async () => {
    publisher.delayMs = 100;
    store.add(event('a', 1));
    startRelay();
    await until(() => store.reads > 0);
    await relay.stop();

    expect(store.marked).toEqual([['a@1']]);
    const reads = store.reads;
    store.add(event('a', 2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.reads).toBe(reads);
  });

  it('abandons a batch the broker does not acknowledge within the stop grace: unflagged, the publish aborted', async () => {
    const signals: AbortSignal[] = [];
    // A broker that never answers: the publish ends only when its signal aborts.
    publisher.publish = (_topic, _messages, options) =>
      new Promise((_resolve, reject) => {
        signals.push(options!.signal!);
        options!.signal!.addEventListener('abort', () => reject(new Error('abandoned')));
      });
    store.add(event('a', 1));
    const lease = { isHeld: () => true, start: jest.fn(), stop: jest.fn(async () => undefined) };
    startRelay({ stopGraceMs: 50, lease });
    await until(() => signals.length === 1);
    await relay.stop();

    expect(signals[0]!.aborted).toBe(true);
    expect(store.marked).toEqual([]);
    expect(store.pending).toHaveLength(1);
    expect(lease.stop).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual([
      'outbox relay: the batch in flight was not acknowledged within 50 ms of the stop; abandoned (the next lease holder publishes it again)',
    ]);
  });

  it('drains a backlog batch after batch without waiting for the poll interval', async () => {
    for (let v = 1; v <= 25; v++) store.add(event('a', v));
    const started = Date.now();
    startRelay({ batchSize: 5, pollIntervalMs: 1_000 });
    await until(() => store.pending.length === 0);

    expect(Date.now() - started).toBeLessThan(900);
    expect(store.marked.map((batch) => batch.length)).toEqual([5, 5, 5, 5, 5]);
    expect(await relay.backlog()).toBe(0);
  });

  it('wakes up on nudge instead of sleeping out the poll interval', async () => {
    startRelay({ pollIntervalMs: 60_000 });
    await until(() => store.reads === 1);
    store.add(event('a', 1));
    relay.nudge();
    await until(() => store.pending.length === 0, 1_000);
    expect(publisher.sent).toHaveLength(1);
  });

  describe('metrics and correlation', () => {
    const metric = async (name: string, relayName: string) => {
      const line = (await metricsRegistry.metrics())
        .split('\n')
        .find((l) => l.startsWith(`${name}{service="relay-spec",relay="${relayName}"}`));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };

    it('reports the backlog while the broker is down, then 0 and what it published', async () => {
      store.add(event('a', 1));
      store.add(event('a', 2));
      publisher.failuresLeft = 1_000;
      startRelay({ metrics: { service: 'relay-spec', relay: 'outage' } });
      await until(() => warnings.length >= 2);
      expect(await metric('event_relay_backlog_events', 'outage')).toBe(2);

      publisher.failuresLeft = 0;
      await until(() => store.pending.length === 0);
      await until(() => warnings.some((w) => w.includes('recovered')));
      expect(await metric('event_relay_backlog_events', 'outage')).toBe(0);
      expect(await metric('event_relay_published_events_total', 'outage')).toBe(2);
    });

    it('counts what is left after a full batch, without counting when idle', async () => {
      for (let v = 1; v <= 7; v++) store.add(event('a', v));
      const counted: number[] = [];
      const countUnpublished = store.countUnpublished.bind(store);
      store.countUnpublished = async () => {
        const n = await countUnpublished();
        counted.push(n);
        return n;
      };
      startRelay({ batchSize: 5, metrics: { service: 'relay-spec', relay: 'batches' } });
      await until(() => store.pending.length === 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // One count after the full batch (2 left); the partial one and the idle polls need none.
      expect(counted).toEqual([2]);
      expect(await metric('event_relay_backlog_events', 'batches')).toBe(0);
      expect(await metric('event_relay_published_events_total', 'batches')).toBe(7);
    });

    it('records nothing without metric labels', async () => {
      store.add(event('a', 1));
      startRelay();
      await until(() => store.pending.length === 0);
      expect(await metricsRegistry.metrics()).not.toMatch(/relay="(?!outage|batches)/);
    });

    it('sends each event as a CloudEvent keyed by its stream, with its content type and correlation id headers', async () => {
      const id = '0b7c6a52-1f5e-4d2a-9a51-6f1f2d3c4b5a';
      store.add({ ...event(id, 1), type: 'IntegrationDeleted', payload: { integrationId: id, name: 'A' } });
      startRelay({ toMessage: undefined });
      await until(() => store.pending.length === 0);
      const [message] = publisher.messages;
      expect(message!.key).toBe(id);
      expect(message!.headers).toEqual({ 'content-type': 'application/cloudevents+json', correlationid: 'c' });
      expect(JSON.parse(message!.value!)).toMatchObject({
        type: 'IntegrationDeleted',
        subject: id,
        sequence: '1',
        source: '/tests/relay',
      });
    });
  });
});
