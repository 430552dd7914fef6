// `HEALTHCHECK`/compose probe without curl (node:20-slim has none): GET /health/ready of SERVICE on
// its port (<PREFIX>_PORT or the default). Exit 0 when ready. Every service and example of the image
// answers /health/ready (the examples and the subscriber too).
'use strict';
const DEFAULT_PORTS = {
  gateway: 8080,
  registry: 3001,
  oauth: 3002,
  acl: 3003,
  config: 3004,
  'commerce-api': 3010,
  'third-party-app': 3020,
  subscriber: 3040,
};

const service = process.env.SERVICE ?? '';
const prefix = service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
const port = process.env[`${prefix}_PORT`] ?? DEFAULT_PORTS[service];
if (!port) {
  process.stderr.write(`healthcheck: no port for SERVICE="${service}"; set ${prefix}_PORT\n`);
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
