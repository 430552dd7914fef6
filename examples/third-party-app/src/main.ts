import { startThirdPartyApp } from './start';

// THIRD_PARTY_APP_* is what tools/run-local and docker-compose set; THIRD_PARTY_PORT is the short form.
const raw = process.env.THIRD_PARTY_APP_PORT ?? process.env.THIRD_PARTY_PORT ?? '3020';
const port = Number(raw);
if (!/^\d+$/.test(raw) || port > 65535) {
  process.stderr.write(`third-party-app: THIRD_PARTY_APP_PORT must be a port number (0-65535); got "${raw}".\n`);
  process.exit(1);
}
const storeBaseUrl = process.env.THIRD_PARTY_APP_STORE_BASE_URL || undefined;

startThirdPartyApp({ port, host: process.env.THIRD_PARTY_APP_HOST ?? '127.0.0.1', storeBaseUrl }).then(
  (app) => {
    process.stdout.write(
      `third-party-app listening on ${app.url} (Callback URL ${app.url}/callback, Identity link URL ${app.url}/login)\n`,
    );
    const stop = () => void app.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`third-party-app failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
