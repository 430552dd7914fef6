import { startRegistry } from './start';

const stop = (what: string, error: Error) => {
  process.stderr.write(`registry ${what}: ${error.message}\n`);
  process.exit(1);
};

// `node -r @swc-node/register apps/registry/src/main.ts`; configuration from the environment (registry.env.ts).
startRegistry().then(
  // Kafka is set up in the background; it fails only for what an operator must fix (a topic mismatch).
  (registry) =>
    registry.kafka.catch(async (error: Error) => {
      await registry.close().catch(() => undefined);
      stop('cannot use Kafka', error);
    }),
  // Boot errors (ConfigError, AclCatalogError, unreachable MongoDB) already say what to fix.
  (error: Error) => stop('failed to start', error),
);
