#!/usr/bin/env bash
# `npm start`: the whole platform on this machine, from a fresh clone.
#  1. checks Node (20 or 22+)
#  2. npm dependencies: `npm ci` when node_modules is missing or older than package-lock.json
#  3. builds what must be built (the admin UI, when its sources are newer than its build)
#  4. Kafka 3.9.1 + FerretDB (tools/infra/infra.sh up: downloads/builds on first use, then reuses),
#     unless KAFKA_BROKERS and MONGO_URL are both set (e.g. `docker compose up -d kafka mongo`)
#  5. every service as a child of tools/run-local/launch.ts, which waits for each /health/ready and
#     prints the admin URL and credentials. Ctrl-C stops the services; infra keeps running unless
#     --stop-infra is given. Options are passed on: `npm start -- --help`; they are checked before
#     anything is built or started (a usage error exits 64).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

START_T0_MS=$(date +%s%3N)
export START_T0_MS
step() { printf '[start %5ss] %s\n' "$(awk -v a="$START_T0_MS" -v b="$(date +%s%3N)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')" "$*"; }
die() {
  printf '[start] FAILED: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '  next step: %s\n' "$line" >&2; done
  exit 1
}
trap 'die "command exited $? at tools/start.sh:$LINENO: $BASH_COMMAND" "rerun with: bash -x tools/start.sh"' ERR

# 1. Node
command -v node >/dev/null 2>&1 || die "node is not installed" "install Node.js 20 (https://nodejs.org or your package manager)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ] || [ "$node_major" -eq 21 ]; then
  die "Node $(node -v) is not supported" "use Node 20 or 22+ (e.g. nvm install 20)"
fi
step "Node $(node -v)"

# 2. npm dependencies. A node_modules that is a link (a git worktree sharing another checkout's) is
#    never reinstalled: npm ci would empty the directory it points to, under every other user of it.
if [ -L node_modules ]; then
  step "node_modules links to $(readlink node_modules): left as it is"
elif [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm dependencies (npm ci; first run only, a few minutes)"
  npm ci --no-audit --no-fund || die "npm ci failed" "read the npm error above; check network access to the npm registry"
else
  step "npm dependencies up to date"
fi

# Options: --help prints the usage and stops here; a wrong option stops here with 64 (EX_USAGE).
trap - ERR
set +e
node -r @swc-node/register tools/run-local/start-options.ts "$@"
options_status=$?
set -e
trap 'die "command exited $? at tools/start.sh:$LINENO: $BASH_COMMAND" "rerun with: bash -x tools/start.sh"' ERR
[ "$options_status" -eq 0 ] || exit "$options_status"
for arg in "$@"; do
  if [ "$arg" = "-h" ] || [ "$arg" = "--help" ]; then exit 0; fi
done

# 3. builds: the admin UI (Vite) when its sources are newer than its build. The services themselves
#    are compiled by the launcher (a couple of seconds, every start).
if [ -f apps/admin-ui/index.html ] && grep -q '"build:admin-ui"' package.json; then
  built=apps/admin-ui/dist/index.html
  if [ ! -f "$built" ] || [ -n "$(find apps/admin-ui -path apps/admin-ui/dist -prune -o -path apps/admin-ui/e2e -prune -o -newer "$built" -type f -print -quit)" ]; then
    step "building the admin UI (npm run build:admin-ui)"
    npm run --silent build:admin-ui || die "the admin UI build failed" "fix the error above, then npm start again"
  else
    step "admin UI build up to date"
  fi
fi

# 4. infrastructure
if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${MONGO_URL:-}" ]; then
  step "using KAFKA_BROKERS=$KAFKA_BROKERS and MONGO_URL=$MONGO_URL from the environment (not starting local infra)"
else
  step "Kafka + FerretDB (tools/infra/infra.sh up)"
  bash tools/infra/infra.sh up || die "local infrastructure did not start" "read the [infra] lines above; npm run infra:status shows what runs"
  # shellcheck source=tools/infra/env.sh
  source tools/infra/env.sh
fi
export KAFKA_BROKERS MONGO_URL

# 5. services (exec: Ctrl-C reaches the launcher directly)
step "starting the services"
trap - ERR
exec node -r @swc-node/register tools/run-local/launch.ts "$@"
