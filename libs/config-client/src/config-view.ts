import { randomUUID } from 'node:crypto';
import { parseCloudEvent, sequenceOf, Topics, type SettingPath, type Settings } from '@integrations/contracts';
import type { IncomingMessage, MessageBus, Subscription } from '@integrations/messaging';
import { CONFIG_STREAM_ID } from './config-stream';
import {
  foldConfigChanged,
  initialConfigViewState,
  type ConfigChangedMessage,
  type ConfigViewState,
} from './config-fold';
import type { TopicEndOffsets } from './topic-end-offsets';

/** The pino methods the view uses (a pino Logger fits). Values are never logged, only paths. */
export interface ConfigViewLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ConfigViewOptions {
  bus: MessageBus;
  /** The owning service, e.g. `oauth`; the consumer group is `<prefix>.config-view.<random>`. */
  groupIdPrefix: string;
  logger: ConfigViewLogger;
  /** High-water marks of the topic at start (see createKafkaEndOffsets). */
  endOffsets: TopicEndOffsets;
  /** Default `integrations.config.v1`; tests pass a prefixed topic. */
  topic?: string;
  /** start() fails if the history is not read by then. Default 30 s. */
  catchUpTimeoutMs?: number;
}

export interface ConfigChangeNotice {
  changed: SettingPath[];
  settings: Settings;
  version: number;
}

export type ConfigChangeListener = (notice: ConfigChangeNotice) => void;

export interface ConfigView {
  /** Subscribes and resolves once every config event published before the call is applied. */
  start(): Promise<void>;
  get<P extends SettingPath>(path: P): Settings[P];
  /** The current settings (a frozen object, replaced on each change). */
  snapshot(): Settings;
  /** Version of the config stream applied so far (0: defaults only). */
  version(): number;
  /** Resolves once `version` is applied (read-your-writes after a PUT that returned it). */
  waitForVersion(version: number, timeoutMs?: number): Promise<void>;
  /** Called after each event that changed a value. Returns the unsubscribe function. */
  onChange(listener: ConfigChangeListener): () => void;
  stop(): Promise<void>;
}

type ParsedMessage = { kind: 'config-changed'; message: ConfigChangedMessage } | { kind: 'skip'; why?: string };

/**
 * A live, in-memory view of the settings for one process, folded from `integrations.config.v1`.
 *
 * Why a consumer group of its own per process, reading from the beginning: the view is in-memory
 * state rebuilt at every boot, so every instance needs the whole history. Sharing a group would split
 * the partitions between instances (each would see only some changes) and a restarted instance would
 * resume at the group's committed offset, skipping the history it needs. The topic must therefore
 * keep its history (`retention.ms=-1`, no compaction: events carry changes, not snapshots); the config
 * service creates it that way.
 *
 * Invalid messages are logged and skipped rather than dead-lettered: every instance replays the topic
 * at every boot, so dead-lettering would copy the same message to the DLQ again each time.
 */
export function createConfigView(options: ConfigViewOptions): ConfigView {
  const topic = options.topic ?? Topics.config;
  const { logger } = options;
  const groupId = `${options.groupIdPrefix}.config-view.${randomUUID()}`;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 30_000;
  let state: ConfigViewState = initialConfigViewState();
  const listeners = new Set<ConfigChangeListener>();
  const versionWaiters = new Set<() => void>();
  /** partition -> highest offset handled, to tell when the history is read. */
  const handledOffsets = new Map<number, number>();
  let onProgress: (() => void) | undefined;
  let subscription: Subscription | undefined;
  let started = false;
  let stopped = false;

  const currentVersion = () => state.versions.get(CONFIG_STREAM_ID) ?? 0;

  const parse = (message: IncomingMessage): ParsedMessage => {
    if (message.value === null) return { kind: 'skip', why: 'empty message' };
    try {
      const parsed = parseCloudEvent(message.value);
      if (parsed.kind !== 'known' || parsed.event.type !== 'ConfigChanged') return { kind: 'skip' };
      const { subject, data } = parsed.event;
      return {
        kind: 'config-changed',
        message: { subject, sequence: sequenceOf(parsed.event), changes: data.changes },
      };
    } catch (error) {
      // ContractValidationError messages name fields, never values.
      return { kind: 'skip', why: error instanceof Error ? error.message : 'unreadable message' };
    }
  };

  const handle = async (parsed: ParsedMessage, message: IncomingMessage): Promise<void> => {
    if (parsed.kind === 'config-changed') apply(parsed.message, message);
    else if (parsed.why) {
      logger.error(
        { topic, partition: message.partition, offset: message.offset, reason: parsed.why },
        'Skipping an invalid config message',
      );
    }
    handledOffsets.set(message.partition, Number(message.offset));
    onProgress?.();
  };

  const apply = (event: ConfigChangedMessage, message: IncomingMessage) => {
    const folded = foldConfigChanged(state, event);
    const { outcome } = folded;
    if (outcome.kind === 'duplicate') return;
    state = folded.state;
    const where = {
      topic,
      partition: message.partition,
      offset: message.offset,
      subject: event.subject,
      version: event.sequence,
    };
    if (outcome.gap)
      logger.warn(
        { ...where, expectedVersion: outcome.gap.expected },
        'Config versions missing; applying the later change',
      );
    if (outcome.ignored.length > 0)
      logger.warn({ ...where, ignored: outcome.ignored }, 'Config changes this build cannot apply were skipped');
    for (const wake of [...versionWaiters]) wake();
    if (outcome.changed.length === 0) return;
    logger.info({ ...where, changed: outcome.changed }, 'Config applied');
    const notice: ConfigChangeNotice = {
      changed: outcome.changed,
      settings: state.settings,
      version: currentVersion(),
    };
    for (const listener of [...listeners]) {
      try {
        listener(notice);
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
          'A config change listener failed',
        );
      }
    }
  };

  const caughtUp = (targets: Map<number, number>) =>
    [...targets].every(([partition, last]) => (handledOffsets.get(partition) ?? -1) >= last);

  const start = async (): Promise<void> => {
    if (started || stopped) throw new Error('ConfigView.start() may be called once, before stop()');
    started = true;
    // Bounds first, then subscribe: every message counted towards catching up is one we will see.
    const bounds = await options.endOffsets(topic);
    const targets = new Map(
      bounds.filter((b) => Number(b.high) > Number(b.low)).map((b) => [b.partition, Number(b.high) - 1] as const),
    );
    let timer: NodeJS.Timeout | undefined;
    const reachedEnd = new Promise<void>((resolve, reject) => {
      onProgress = () => {
        if (caughtUp(targets)) resolve();
      };
      timer = setTimeout(() => {
        const behind = [...targets].map(([partition, last]) => ({
          partition,
          last,
          handled: handledOffsets.get(partition) ?? -1,
        }));
        reject(
          new Error(
            `ConfigView could not read ${topic} up to its end within ${catchUpTimeoutMs} ms (${JSON.stringify(behind)}); is Kafka reachable?`,
          ),
        );
      }, catchUpTimeoutMs);
    });
    reachedEnd.catch(() => undefined); // observed below; this only keeps an early subscribe failure from leaving it unhandled
    try {
      const opened = await options.bus.subscribe<ParsedMessage>({
        groupId,
        topics: [topic],
        fromBeginning: true,
        parse,
        handle,
      });
      if (stopped) {
        await opened.close();
        throw new Error('ConfigView was stopped while starting');
      }
      subscription = opened;
      onProgress?.();
      await reachedEnd;
    } catch (error) {
      await stop();
      throw error;
    } finally {
      clearTimeout(timer);
      onProgress = undefined;
    }
    logger.info({ topic, groupId, version: currentVersion() }, 'Config view caught up');
  };

  const stop = async (): Promise<void> => {
    stopped = true;
    const closing = subscription;
    subscription = undefined;
    await closing?.close();
  };

  const waitForVersion = (version: number, timeoutMs = 5_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (currentVersion() >= version) return resolve();
      const wake = () => {
        if (currentVersion() < version) return;
        versionWaiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        versionWaiters.delete(wake);
        reject(new Error(`Config version ${version} not applied within ${timeoutMs} ms (at ${currentVersion()})`));
      }, timeoutMs);
      versionWaiters.add(wake);
    });

  return {
    start,
    get: (path) => state.settings[path],
    snapshot: () => state.settings,
    version: currentVersion,
    waitForVersion,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
  };
}
