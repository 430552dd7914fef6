import { createConfigView, createKafkaEndOffsets } from '@integrations/config-client';
import { Topics } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, ensureCatalogueTopics, type MessageBus } from '@integrations/messaging';
import { createLogger, startHttpService, type Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { aclAppModule } from './acl-app.module';
import { loadAclEnv, type AclEnv } from './acl.env';
import { AclCatalog } from './catalog/acl-catalog';
import { DecisionService } from './decisions/decision.service';
import { subscribeGrants } from './grants/grants.consumer';
import { GRANTS_COLLECTION, GrantsProjection, type GrantsDocument } from './grants/grants.projection';
import { GrantsReader } from './grants/grants.reader';
import { createRouteMatcher } from './routes/match-route';
import { loadRouteMap } from './routes/route-map';

const ALLOW_INSECURE = 'webapi/webapisecurity/allow_insecure';

/** Environment variables to override (validated like the environment), plus a logger. */
export type AclOverrides = Partial<Record<keyof AclEnv, string | number | string[]>> & {
  logger?: Logger;
  /** Extra variables, e.g. UPSTREAM_COMMERCE_URL. */
  env?: NodeJS.ProcessEnv;
};

export interface RunningAcl {
  url: string;
  /** The (prefixed) topics the service reads. */
  topics: { integration: string; config: string };
  close(): Promise<void>;
}

/**
 * Starts the acl service: catalog and route map (fail fast), Mongo, Kafka (grants projection and
 * the config view), then HTTP. `ACL_PORT: 0` picks a free port.
 */
export async function startAcl(overrides: AclOverrides = {}): Promise<RunningAcl> {
  const { logger: givenLogger, env: extraEnv, ...envOverrides } = overrides;
  const processEnv = { ...process.env, ...extraEnv, ...toEnvStrings(envOverrides) };
  const env = loadAclEnv(processEnv);
  const logger = givenLogger ?? createLogger('acl');

  const catalog = AclCatalog.load(env.ACL_CATALOG_FILE);
  const routeMap = loadRouteMap(env.ACL_ROUTES_FILE, catalog, processEnv);
  logger.info(
    { resources: catalog.size, routes: routeMap.routes.length, upstreams: routeMap.upstreams },
    'ACL catalog and route map loaded',
  );

  const topics = {
    integration: `${env.ACL_TOPIC_PREFIX}${Topics.integration}`,
    config: `${env.ACL_TOPIC_PREFIX}${Topics.config}`,
  };
  const opened: Array<() => Promise<unknown>> = [];
  const closeOpened = async () => {
    for (const close of opened.reverse())
      await close().catch((error: unknown) => logger.error({ err: describe(error) }, 'Shutdown step failed'));
    opened.length = 0;
    logger.info('acl stopped: consumers, Kafka and Mongo closed');
  };

  try {
    const connection: mongoose.Connection = await connectMongo(env.MONGO_URL, env.ACL_DB);
    opened.push(() => connection.close());
    const projection = new GrantsProjection(connection.db!.collection<GrantsDocument>(GRANTS_COLLECTION));
    const reader = new GrantsReader(projection, catalog, env.ACL_GRANTS_CACHE_TTL_MS);

    await ensureCatalogueTopics({
      brokers: env.KAFKA_BROKERS,
      prefix: env.ACL_TOPIC_PREFIX,
      replicationFactor: env.KAFKA_TOPIC_REPLICATION,
      clientId: 'acl',
      onAligned: (change) => logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });
    const bus: MessageBus = createKafkaMessageBus({
      brokers: env.KAFKA_BROKERS,
      clientId: 'acl',
      logger: (entry) => logger[entry.level](entry, entry.message),
    });
    opened.push(() => bus.disconnect());
    await bus.connect();

    const configView = createConfigView({
      bus,
      groupIdPrefix: `${env.ACL_TOPIC_PREFIX}acl`,
      logger,
      endOffsets: createKafkaEndOffsets(env.KAFKA_BROKERS, 'acl-config-view'),
      topic: topics.config,
    });
    await configView.start();
    opened.push(() => configView.stop());

    const grants = await subscribeGrants({
      bus,
      topic: topics.integration,
      groupId: `${env.ACL_TOPIC_PREFIX}${env.ACL_CONSUMER_GROUP}`,
      projection,
      reader,
      logger,
    });
    opened.push(() => grants.close());

    const decisions = new DecisionService({
      match: createRouteMatcher(routeMap),
      grants: reader,
      allowInsecure: () => configView.get(ALLOW_INSECURE),
      upstreams: routeMap.upstreams,
    });

    const service = await startHttpService(
      aclAppModule({
        catalog,
        projection,
        decisions,
        readiness: [
          { name: 'mongo', check: async () => (await connection.db?.admin().ping())?.ok === 1 },
          { name: 'kafka', check: () => bus.isReachable() },
        ],
        onShutdown: closeOpened,
      }),
      { service: 'acl', logger, port: env.ACL_PORT, host: env.ACL_HOST },
    );
    return { url: service.url, topics, close: () => service.close() };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

function toEnvStrings(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
