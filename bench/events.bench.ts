/**
 * Event store + outbox relay benchmark (docs/PERFORMANCE.md, "Event store and relay").
 *
 *   npm run bench:events [-- --seconds 5 --writers 8 --rate 200 --steady-seconds 20]
 *
 * Needs the shared Kafka + FerretDB (`bash tools/infra/infra.sh up`, `source tools/infra/env.sh`).
 * In one run, against the real infrastructure:
 *  1. raw kafkajs producer throughput (acks -1, idempotent, batches of 100, messages of the size
 *     the relay publishes) and single-message send latency: the baseline;
 *  2. append throughput, one writer then N concurrent writers, with the relay draining the outbox;
 *  3. append -> relay -> Kafka -> consumer -> applyToProjection latency at a steady offered rate.
 */
import { parseCloudEvent, sequenceOf, toCloudEvent } from '@integrations/contracts';
import {
  applyToProjection,
  connectMongo,
  EventStore,
  OutboxRelay,
  type ProjectionDocument,
} from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { anIntegrationCreated, anIntegrationUpdated, createTestTopics, waitFor } from '@integrations/testing';
import { Kafka, logLevel } from 'kafkajs';
import type mongoose from 'mongoose';
import { commandLine, numberArg } from './lib/args';
import { benchInfra, benchTag, cleanupBenchInfra, type BenchInfra } from './lib/infra';
import { BenchReport, progress, verdict } from './lib/report';
import { ms, perSecond, ratio, summarize } from './lib/stats';

const log = progress('bench:events');
const SOURCE = '/bench/events';

interface Args {
  seconds: number;
  writers: number;
  rate: number;
  steadySeconds: number;
}

async function main(): Promise<void> {
  const args: Args = {
    seconds: numberArg('--seconds', 5),
    writers: numberArg('--writers', 8),
    rate: numberArg('--rate', 200),
    steadySeconds: numberArg('--steady-seconds', 20),
  };
  const infra = benchInfra();
  const tag = benchTag('events');
  const report = new BenchReport('events', commandLine('bench:events'));
  const topic = `${tag}.integration`;
  await createTestTopics(infra.kafkaBrokers, [topic], { partitions: 3 });
  const connection = await connectMongo(infra.mongoUrl, tag);
  const bus = createKafkaMessageBus({
    brokers: infra.kafkaBrokers,
    clientId: 'bench-events',
    consumer: { maxWaitTimeInMs: 30, partitionsConsumedConcurrently: 3 },
  });
  try {
    await bus.connect();
    const messageSize = sampleMessage().length;
    log(`raw kafkajs producer, ${args.seconds} s (message ${messageSize} bytes)`);
    const raw = await rawProducer(infra, topic, args.seconds);

    const store = new EventStore(connection);
    await store.ensureIndexes();
    const relay = new OutboxRelay({
      store,
      publisher: bus,
      topicFor: () => topic,
      source: SOURCE,
    });
    relay.start();
    try {
      log(`appends, 1 writer, ${args.seconds} s`);
      const sequential = await appendThroughput(store, relay, 'seq', 1, args.seconds);
      log(`appends, ${args.writers} writers, ${args.seconds} s`);
      const concurrent = await appendThroughput(store, relay, 'par', args.writers, args.seconds);
      log('waiting for the relay to drain the outbox');
      await waitFor(async () => (await relay.backlog()) === 0, {
        timeoutMs: 300_000,
        intervalMs: 500,
        message: 'an empty outbox',
      });

      log(`append -> projection at ${args.rate}/s offered, ${args.steadySeconds} s`);
      const steady = await steadyLatency(connection, store, relay, bus, topic, args);

      const offered = `${perSecond(args.rate)} offered`;
      report.row({
        metric: `raw producer, batches of 100 (${messageSize} B, acks -1, idempotent)`,
        baseline: '-',
        measured: perSecond(raw.throughput),
        ratio: '1.00×',
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'raw producer, 1-message send p50 / p99',
        baseline: '-',
        measured: `${ms(raw.send.p50)} / ${ms(raw.send.p99)}`,
        ratio: '-',
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'appends, 1 writer (1 event each)',
        baseline: perSecond(raw.throughput),
        measured: perSecond(sequential.throughput),
        ratio: ratio(sequential.throughput / raw.throughput),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'append latency, 1 writer p50 / p99',
        baseline: ms(raw.send.p50),
        measured: `${ms(sequential.latency.p50)} / ${ms(sequential.latency.p99)}`,
        ratio: ratio(sequential.latency.p50 / raw.send.p50),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: `appends, ${args.writers} writers`,
        baseline: perSecond(raw.throughput),
        measured: perSecond(concurrent.throughput),
        ratio: ratio(concurrent.throughput / raw.throughput),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'steady state: appends achieved',
        baseline: offered,
        measured: perSecond(steady.achieved),
        ratio: ratio(steady.achieved / args.rate),
        target: `${perSecond(args.rate)}`,
        verdict: verdict(steady.achieved >= args.rate * 0.95),
      });
      report.row({
        metric: 'steady state: append latency p50 / p99',
        baseline: ms(raw.send.p50),
        measured: `${ms(steady.append.p50)} / ${ms(steady.append.p99)}`,
        ratio: ratio(steady.append.p50 / raw.send.p50),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'append -> projection p50',
        baseline: ms(raw.send.p50),
        measured: ms(steady.endToEnd.p50),
        ratio: ratio(steady.endToEnd.p50 / raw.send.p50),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: 'append -> projection p99',
        baseline: ms(raw.send.p99),
        measured: ms(steady.endToEnd.p99),
        ratio: ratio(steady.endToEnd.p99 / raw.send.p99),
        target: '<= 100 ms',
        verdict: verdict(steady.endToEnd.p99 <= 100),
      });
      report.note(
        `Kafka: topic with 3 partitions; relay batches up to 100 commits, polls every 50 ms and is nudged after each append; consumer through createKafkaMessageBus (maxWaitTimeInMs 30).`,
      );
      report.note(
        `Steady state: ${steady.started} appends started, ${steady.skipped} slots skipped because the stream's previous append was still running, ${steady.failed} failed; ${steady.endToEnd.count} projected.`,
      );
      report.note(
        `Throughput runs: ${sequential.count} and ${concurrent.count} appends, ${concurrent.conflicts} conflicts (none expected: each writer owns its streams).`,
      );
      report.data('raw', raw);
      report.data('sequential', sequential);
      report.data('concurrent', concurrent);
      report.data('steady', steady);
    } finally {
      await relay.stop();
    }
  } finally {
    await bus.disconnect();
    await connection.close();
    await cleanupBenchInfra(infra, [tag], tag);
  }
  report.finish();
}

function sampleMessage(): string {
  const event = anIntegrationUpdated('0b5b8f0e-5a0c-4a57-9a1e-7d7a7b0c2f11', {
    name: 'ERP connector v2',
    resources: ['Magento_Sales::sales'],
  });
  return JSON.stringify(
    toCloudEvent({ ...event, streamId: '0b5b8f0e-5a0c-4a57-9a1e-7d7a7b0c2f11', version: 12 }, SOURCE),
  );
}

async function rawProducer(infra: BenchInfra, topic: string, seconds: number) {
  const kafka = new Kafka({ brokers: infra.kafkaBrokers, clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const value = sampleMessage();
    const batch = Array.from({ length: 100 }, (_, i) => ({ key: `stream-${i % 50}`, value }));
    let sent = 0;
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      await producer.send({ topic, acks: -1, messages: batch });
      sent += batch.length;
    }
    const throughput = (sent * 1000) / (Date.now() - started);
    const sendTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key: `stream-${i % 50}`, value }] });
      sendTimes.push(performance.now() - t);
    }
    return { throughput, sent, send: summarize(sendTimes) };
  } finally {
    await producer.disconnect();
  }
}

async function appendThroughput(
  store: EventStore,
  relay: OutboxRelay,
  prefix: string,
  writers: number,
  seconds: number,
) {
  const latencies: number[] = [];
  let conflicts = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const versions = new Map<string, number>();
      for (let i = 0; Date.now() < deadline; i++) {
        const streamId = `${prefix}-${writer}-${i % 50}`;
        const version = versions.get(streamId) ?? 0;
        const event =
          version === 0
            ? anIntegrationCreated({ integrationId: streamId })
            : anIntegrationUpdated(streamId, { name: `v${version + 1}` });
        const t = performance.now();
        try {
          await store.append(streamId, version, [event]);
          latencies.push(performance.now() - t);
          versions.set(streamId, version + 1);
          relay.nudge();
        } catch {
          conflicts += 1;
        }
      }
    }),
  );
  const elapsed = Date.now() - started;
  return {
    count: latencies.length,
    conflicts,
    throughput: (latencies.length * 1000) / elapsed,
    latency: summarize(latencies),
  };
}

async function steadyLatency(
  connection: mongoose.Connection,
  store: EventStore,
  relay: OutboxRelay,
  bus: MessageBus,
  topic: string,
  args: Args,
) {
  const grid = connection.db!.collection<ProjectionDocument & { name?: string }>('bench_grid');
  const appendStarted = new Map<string, number>();
  const endToEnd: number[] = [];
  let warmedUp = false;
  const subscription = await bus.subscribe({
    groupId: `${topic}.projection`,
    topics: [topic],
    fromBeginning: false,
    parse: (message) => parseCloudEvent(message.value),
    handle: async (parsed) => {
      if (parsed.kind !== 'known') return;
      const { subject, data } = parsed.event;
      const version = sequenceOf(parsed.event);
      if (subject === 'warm-up') {
        warmedUp = true;
        return;
      }
      const name = (data as { name?: string }).name;
      await applyToProjection(grid, { id: subject, version }, { $set: { name } });
      const key = `${subject}@${version}`;
      const t = appendStarted.get(key);
      if (t !== undefined) {
        endToEnd.push(performance.now() - t);
        appendStarted.delete(key);
      }
    },
  });
  try {
    // The first join of a new group takes a few seconds, and it starts at the latest offset:
    // keep publishing a warm-up event until one arrives, then measure.
    await waitFor(
      async () => {
        const version = await store.streamVersion('warm-up');
        await store.append('warm-up', version, [
          version === 0
            ? anIntegrationCreated({ integrationId: 'warm-up' })
            : anIntegrationUpdated('warm-up', { name: `w${version}` }),
        ]);
        relay.nudge();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return warmedUp;
      },
      { timeoutMs: 90_000, intervalMs: 0, message: 'the consumer group to join' },
    );

    const streams = Array.from({ length: args.rate }, (_, i) => `steady-${i}`);
    const versions = new Map(streams.map((id) => [id, 0]));
    const inFlight = new Set<string>();
    const appendTimes: number[] = [];
    const pending: Array<Promise<void>> = [];
    let started = 0;
    let skipped = 0;
    let failed = 0;
    const intervalMs = 1000 / args.rate;
    const t0 = performance.now();
    for (let slot = 0; slot < args.rate * args.steadySeconds; slot++) {
      const due = t0 + slot * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const streamId = streams[slot % streams.length]!;
      if (inFlight.has(streamId)) {
        skipped += 1;
        continue;
      }
      const version = versions.get(streamId)!;
      const event =
        version === 0
          ? anIntegrationCreated({ integrationId: streamId })
          : anIntegrationUpdated(streamId, { name: `v${version + 1}` });
      inFlight.add(streamId);
      started += 1;
      const t = performance.now();
      appendStarted.set(`${streamId}@${version + 1}`, t);
      pending.push(
        store.append(streamId, version, [event]).then(
          () => {
            appendTimes.push(performance.now() - t);
            versions.set(streamId, version + 1);
            inFlight.delete(streamId);
            relay.nudge();
          },
          () => {
            failed += 1;
            appendStarted.delete(`${streamId}@${version + 1}`);
            inFlight.delete(streamId);
          },
        ),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - t0) / 1000;
    const completed = appendTimes.length;
    await waitFor(() => endToEnd.length >= completed, {
      timeoutMs: 300_000,
      intervalMs: 200,
      message: () => `${completed} events projected (got ${endToEnd.length})`,
    });
    return {
      started,
      skipped,
      failed,
      achieved: completed / elapsed,
      append: summarize(appendTimes),
      endToEnd: summarize(endToEnd),
    };
  } finally {
    await subscription.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
