// The image's entry point (/app/main.js): runs the service named by SERVICE (a build arg, baked in as
// an environment variable, so one image can also run another service by overriding it).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const service = process.env.SERVICE ?? '';
const main = [`apps/${service}/src/main.js`, `examples/${service}/src/main.js`].find(
  (file) => /^[a-z0-9-]+$/.test(service) && existsSync(join(__dirname, file)),
);
if (!main) {
  process.stderr.write(
    `SERVICE must name a service of this image (apps/<name> or examples/<name>); got "${service}"\n`,
  );
  process.exit(64);
}
// Services listen on 127.0.0.1 by default (safe on a laptop); in a container they must accept
// connections from other containers and pods.
const prefix = service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
process.env[`${prefix}_HOST`] ??= '0.0.0.0';
require(join(__dirname, main));
