import { startCommerceApi } from './start';

const raw = process.env.COMMERCE_API_PORT ?? '3010';
const port = Number(raw);
if (!/^\d+$/.test(raw) || port > 65535) {
  process.stderr.write(`commerce-api: COMMERCE_API_PORT must be a port number (0-65535); got "${raw}".\n`);
  process.exit(1);
}

startCommerceApi({ port, host: process.env.COMMERCE_API_HOST ?? '127.0.0.1' }).then(
  (api) => {
    process.stdout.write(`commerce-api listening on ${api.url}\n`);
    const stop = () => void api.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`commerce-api failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
