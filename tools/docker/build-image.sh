#!/usr/bin/env bash
# The image's /app without its node_modules: what the Dockerfile's build stage runs
# (`RUN bash tools/docker/build-image.sh /out`), and what the production smoke test
# (tools/docker/smoke-image.mjs) runs, so both build the same thing.
#
#   bash tools/docker/build-image.sh <outDir>
set -euo pipefail
out="${1:?usage: bash tools/docker/build-image.sh <outDir>}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

node tools/docker/build-dist.mjs "$out"
cp -r config "$out/config"
cp tools/docker/service-entry.js "$out/main.js"
cp tools/docker/healthcheck.js tools/docker/set-outbound-allowlist.js "$out/"
cp package.json "$out/package.json"
# The admin UI (React + Vite) is static files the gateway serves; built here when the app exists.
if [ -f apps/admin-ui/index.html ]; then
  npm run --silent build:admin-ui
  mkdir -p "$out/apps/admin-ui"
  cp -r apps/admin-ui/dist "$out/apps/admin-ui/dist"
fi
