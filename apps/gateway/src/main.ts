import 'reflect-metadata';
import { createLogger } from '@integrations/service-kit';
import { startGateway } from './start';

const logger = createLogger('gateway');

startGateway({ logger }).catch((error: Error) => {
  // Configuration errors already name the variable to fix; print them as they are.
  process.stderr.write(`${error.message}\n`);
  logger.fatal({ err: { name: error.name, message: error.message } }, 'gateway failed to start');
  process.exit(1);
});
