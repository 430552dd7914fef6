import { Topics } from '@integrations/contracts';
import { connectMongo, EventStore, OutboxRelay } from '@integrations/event-store';
import { createKafkaMessageBus, ensureCatalogueTopics, type MessageBus } from '@integrations/messaging';
import { createLogger, startHttpService, type Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { configAppModule } from './config-app.module';
import { loadConfigServiceEnv, type ConfigServiceEnv } from './config-service.env';
import { SettingsRepository } from './settings/settings.repository';

export const CONFIG_EVENT_SOURCE = '/integrations/config';

export type ConfigServiceOverrides = Partial<ConfigServiceEnv>;

export interface RunningConfigService {
  url: string;
  env: ConfigServiceEnv;
  /** The topic ConfigChanged events go to (prefixed in tests). */
  topic: string;
  /** Graceful: HTTP first, then the relay (its batch in flight), Kafka and Mongo. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the config service: Mongo (event store), Kafka (topic + outbox relay), then HTTP.
 * `overrides` replace environment variables (and are validated like them); `CONFIG_PORT: 0` picks a
 * free port.
 */
export async function startConfigService(
  overrides: ConfigServiceOverrides = {},
  options: { logger?: Logger } = {},
): Promise<RunningConfigService> {
  const env = loadConfigServiceEnv({ ...process.env, ...toEnvStrings(overrides) });
  const logger = options.logger ?? createLogger('config');
  const topic = `${env.CONFIG_TOPIC_PREFIX}${Topics.config}`;

  const opened: Array<() => Promise<unknown>> = [];
  const closeOpened = async () => {
    const steps = opened.splice(0).reverse();
    for (const close of steps)
      await close().catch((error: unknown) => logger.error({ err: describe(error) }, 'Shutdown step failed'));
    if (steps.length > 0) logger.info('config: relay, Kafka and Mongo closed');
  };

  try {
    const connection: mongoose.Connection = await connectMongo(env.MONGO_URL, env.CONFIG_DB);
    opened.push(() => connection.close());
    const store = new EventStore(connection);
    await store.ensureIndexes();

    await ensureCatalogueTopics({
      brokers: env.KAFKA_BROKERS,
      prefix: env.CONFIG_TOPIC_PREFIX,
      replicationFactor: env.KAFKA_TOPIC_REPLICATION,
      clientId: 'config',
      onAligned: (change) => logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });
    const bus: MessageBus = createKafkaMessageBus({
      brokers: env.KAFKA_BROKERS,
      clientId: 'config',
      logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
    });
    opened.push(() => bus.disconnect());
    await bus.connect();

    const relay = new OutboxRelay({
      store,
      publisher: bus,
      topicFor: (event) => (event.type === 'ConfigChanged' ? topic : null),
      source: CONFIG_EVENT_SOURCE,
      logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
      metrics: { service: 'config', relay: 'config' },
    });
    relay.start();
    opened.push(() => relay.stop());

    const service = await startHttpService(
      configAppModule({
        repository: new SettingsRepository(store),
        relay,
        readiness: [
          { name: 'mongo', check: async () => (await connection.db?.admin().ping())?.ok === 1 },
          { name: 'kafka', check: () => bus.isReachable() },
        ],
        onShutdown: closeOpened,
      }),
      { service: 'config', logger, port: env.CONFIG_PORT, host: env.CONFIG_HOST },
    );
    let closing: Promise<void> | undefined;
    return { url: service.url, env, topic, close: () => (closing ??= service.close()) };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

function toEnvStrings(values: Partial<ConfigServiceEnv>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
