import { startOauth } from './start';

// `node -r @swc-node/register apps/oauth/src/main.ts`; configuration from the environment (oauth.env.ts).
startOauth().catch((error: Error) => {
  // Boot errors (ConfigError, missing encryption key, unreachable Mongo/Kafka) already say what to fix.
  process.stderr.write(`oauth failed to start: ${error.message}\n`);
  process.exit(1);
});
