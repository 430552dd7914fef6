import 'reflect-metadata';
import { createLogger } from '@integrations/service-kit';
import { startAcl } from './start';

const logger = createLogger('acl');

startAcl({ logger }).catch((error: Error) => {
  // Configuration, catalog and route map errors already name the variable or file to fix.
  process.stderr.write(`${error.message}\n`);
  logger.fatal({ err: { name: error.name, message: error.message } }, 'acl failed to start');
  process.exit(1);
});
