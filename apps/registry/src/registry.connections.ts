import { Topics } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, ensureCatalogueTopics, type MessageBus } from '@integrations/messaging';
import type { Logger, ReadinessCheck } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import type { RegistryEnv } from './registry.env';

/** The registry's topics, with the test prefix applied. */
export interface RegistryTopics {
  integration: string;
  oauth: string;
}

/**
 * What the registry connects to before Nest starts: MongoDB, which every request needs, so a database
 * that cannot be reached stops the boot with a message naming the variable before any HTTP port
 * opens. Kafka is on no request path (the outbox absorbs the writes): the bus is created here and
 * connected, with the topics ensured, in the background by RegistryLifecycle (`ensureTopics`), so a
 * broker outage neither stops the boot nor delays the manifest. Closed last.
 */
export class RegistryConnections {
  private closing?: Promise<void>;

  private constructor(
    readonly connection: mongoose.Connection,
    readonly bus: MessageBus,
    readonly topics: RegistryTopics,
    private readonly env: RegistryEnv,
    private readonly logger: Logger,
  ) {}

  static async open(env: RegistryEnv, logger: Logger): Promise<RegistryConnections> {
    const connection = await bootStep(`MongoDB at ${redactUrl(env.MONGO_URL)} (MONGO_URL) cannot be reached`, () =>
      connectMongo(env.MONGO_URL, env.REGISTRY_DB),
    );
    const bus = createKafkaMessageBus({
      brokers: env.KAFKA_BROKERS,
      clientId: 'registry',
      logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
    });
    const topics = {
      integration: `${env.REGISTRY_TOPIC_PREFIX}${Topics.integration}`,
      oauth: `${env.REGISTRY_TOPIC_PREFIX}${Topics.oauth}`,
    };
    return new RegistryConnections(connection, bus, topics, env, logger);
  }

  /** `Kafka at <brokers> (KAFKA_BROKERS)`, for the logs. */
  get broker(): string {
    return `Kafka at ${this.env.KAFKA_BROKERS.join(',')} (KAFKA_BROKERS)`;
  }

  /** The topics of the catalogue exist with its settings (a partition count that differs fails). */
  async ensureTopics(): Promise<void> {
    await ensureCatalogueTopics({
      brokers: this.env.KAFKA_BROKERS,
      prefix: this.env.REGISTRY_TOPIC_PREFIX,
      replicationFactor: this.env.KAFKA_TOPIC_REPLICATION,
      clientId: 'registry',
      onAligned: (change) => this.logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });
  }

  get db(): mongoose.mongo.Db {
    return this.connection.db!;
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      { name: 'mongo', check: async () => (await this.db.command({ ping: 1 })).ok === 1 },
      // Not critical: no request waits for Kafka (the outbox absorbs writes, the relay publishes later).
      { name: 'kafka', critical: false, check: () => this.bus.isReachable() },
    ];
  }

  /** Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.bus.disconnect();
      await this.connection.close();
    })();
    return this.closing;
  }
}

/** Boot failures say which dependency and which variable, plus the next step. */
async function bootStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${what}: ${reason}. Start local infrastructure with \`bash tools/infra/infra.sh up\` or fix the variable.`,
      { cause: error },
    );
  }
}

/** A MONGO_URL may carry a password; never echo it. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
