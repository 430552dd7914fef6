import 'reflect-metadata';
import { ConfigError } from '@integrations/service-kit';
import { startConfigService } from './start';

// SIGTERM/SIGINT are handled by Nest's shutdown hooks (startHttpService): HTTP first, then the
// relay finishes its batch, then Kafka and Mongo close.
startConfigService().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('config: failed to start:', error);
  process.exit(1);
});
