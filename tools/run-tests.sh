#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs to run the whole suite, then the suite.
#  1. npm dependencies (npm ci when node_modules is missing or older than package-lock.json) and the
#     Debian packages the UI, NGINX and Python-client tests need
#  2. real Kafka 3.9.1 + FerretDB (tools/infra/infra.sh up), unless KAFKA_BROKERS and MONGO_URL
#     already point at running servers
#  3. jest: unit + integration + faults projects, in band (two cores: parallel workers starve the broker)
# Extra arguments go to jest, e.g. `npm test -- --selectProjects unit` or `npm test -- libs/oauth1`.
# The fault suite restarts the broker: allowed for the local broker of this checkout (which this
# script manages), on CI, or with KAFKA_CONTROL=local-script set by hand; against servers given in
# KAFKA_BROKERS it fails saying so (see docs/operations.md "The fault suite"). A `npm start` running
# on the same local broker meanwhile rides the restart out (its services reconnect).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n== [%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

if [ -L node_modules ]; then
  # A link to a shared install (another checkout's): npm ci would empty it under its owner.
  step "node_modules is a link to a shared install: not reinstalling it"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

step "System packages (chromium, nginx, python3-requests-oauthlib)"
bash tools/install-system-packages.sh

if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${MONGO_URL:-}" ]; then
  step "Starting local Kafka + FerretDB (tools/infra/infra.sh up)"
  bash tools/infra/infra.sh up
  # shellcheck source=/dev/null
  source tools/infra/env.sh
  # This checkout's own broker: the fault suite (tests/faults) may restart it.
  export KAFKA_CONTROL="${KAFKA_CONTROL:-local-script}"
fi
export KAFKA_BROKERS MONGO_URL
export KAFKAJS_NO_PARTITIONER_WARNING=1

step "Running tests against KAFKA_BROKERS=$KAFKA_BROKERS MONGO_URL=$MONGO_URL"
# --forceExit, still: the full run (unit + integration + faults in one process, 188 suites) leaves a
# handle open after its results (seen on 2026-12-07: "Jest did not exit one second after the test run
# has completed"), while each project and every subset tried alone exits by itself. Until that handle
# is found (`npx jest --detectOpenHandles`), jest exits once the results are in rather than hang CI.
exec npx jest --runInBand --forceExit "$@"
