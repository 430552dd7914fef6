import { startRegistry } from './start';

// `node -r @swc-node/register apps/registry/src/main.ts`; configuration from the environment (registry.env.ts).
startRegistry().catch((error: Error) => {
  // Boot errors (ConfigError, AclCatalogError, unreachable Mongo/Kafka) already say what to fix.
  process.stderr.write(`registry failed to start: ${error.message}\n`);
  process.exit(1);
});
