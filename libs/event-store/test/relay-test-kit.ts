import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseCloudEvent, sequenceOf } from '@integrations/contracts';
import type { MessagePublisher } from '@integrations/messaging';
import { collectMessages, type CollectedMessage, type TopicCollector } from '@integrations/testing';
import type mongoose from 'mongoose';
import type { EventStore } from '../src/event-store';
import { OutboxRelay, type RelayLogger } from '../src/outbox-relay';
import { projectIntegration, type IntegrationTestDocument } from './integration-test-projection';

const REPO_ROOT = resolve(__dirname, '../../..');
const RUNNER = resolve(__dirname, 'relay-runner.ts');

export function startRelay(
  store: EventStore,
  publisher: MessagePublisher,
  topic: string,
  logger?: RelayLogger,
): OutboxRelay {
  const relay = new OutboxRelay({
    store,
    publisher,
    topicFor: () => topic,
    source: '/tests/event-store',
    ...(logger ? { logger } : {}),
  });
  relay.start();
  return relay;
}

export interface ProjectingCollector extends TopicCollector {
  /** Messages that arrived before an earlier version of their stream: must stay 0. */
  readonly gaps: number;
}

/** Consumes the topic like a service would: parse, then apply to a read model. */
export async function collectIntoProjection(
  brokers: string[],
  topic: string,
  projection: mongoose.mongo.Collection<IntegrationTestDocument>,
  /** Default: a fresh group; name it to inspect the group when a test fails. */
  groupId?: string,
): Promise<ProjectingCollector> {
  let gaps = 0;
  const collector = await collectMessages({
    brokers,
    topic,
    ...(groupId ? { groupId } : {}),
    onMessage: async (message) => {
      const parsed = parseCloudEvent(message.value);
      if (parsed.kind !== 'known') throw new Error(`unexpected event type ${parsed.event.type}`);
      const { subject, type, data } = parsed.event;
      const result = await projectIntegration(projection, subject, sequenceOf(parsed.event), type, data);
      if (result === 'gap') gaps += 1;
    },
  });
  return Object.assign(collector, {
    get gaps() {
      return gaps;
    },
  });
}

/** `streamId@version` of every message, duplicates included, in arrival order. */
export function deliveredVersions(messages: readonly CollectedMessage[]): Array<{ streamId: string; version: number }> {
  return messages.map((message) => {
    const event = JSON.parse(message.value ?? '{}') as { subject: string; sequence: string };
    return { streamId: event.subject, version: Number(event.sequence) };
  });
}

export function distinctDeliveries(messages: readonly CollectedMessage[]): number {
  return new Set(deliveredVersions(messages).map((d) => `${d.streamId}@${d.version}`)).size;
}

/**
 * Per stream, the versions in arrival order once redeliveries of what was already seen are
 * dropped: must be exactly 1..n for an in-order, lossless delivery.
 */
export function firstDeliveriesByStream(messages: readonly CollectedMessage[]): Map<string, number[]> {
  const byStream = new Map<string, number[]>();
  for (const { streamId, version } of deliveredVersions(messages)) {
    const versions = byStream.get(streamId) ?? [];
    if (version > (versions[versions.length - 1] ?? 0)) versions.push(version);
    byStream.set(streamId, versions);
  }
  return byStream;
}

export interface RelayProcess {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnRelayProcess(env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', RUNNER], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      done({ code, signal });
    });
  });
  return {
    child,
    exited,
    waitForLine: (pattern, timeoutMs = 60_000) =>
      new Promise((found, fail) => {
        const check = () => {
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line) {
            cleanup();
            found(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            fail(new Error(`relay process exited before printing ${pattern}; stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`relay process did not print ${pattern} within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}
