#!/usr/bin/env bash
# Local infrastructure without Docker: Kafka 3.9.1 (KRaft) and FerretDB v1.24.2 (SQLite),
# both on 127.0.0.1, state in <repo>/.infra/ (git-ignored).
#
#   bash tools/infra/infra.sh up|down|status|restart|kill|clean|env [kafka|ferretdb]
#
# Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), FERRETDB_PORT (27017).
# Kafka heap: KAFKA_HEAP_OPTS (-Xms256m -Xmx512m). Timeouts: KAFKA_READY_TIMEOUT_S (180),
# FERRETDB_READY_TIMEOUT_S (90), KAFKA_STOP_TIMEOUT_S (60).
set -Eeuo pipefail

_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/infra/lib.sh
source "$_here/lib.sh"
# shellcheck source=tools/infra/kafka.sh
source "$_here/kafka.sh"
# shellcheck source=tools/infra/ferretdb.sh
source "$_here/ferretdb.sh"
trap 'on_unexpected_error "$LINENO" "$BASH_COMMAND"' ERR

usage() {
  cat <<'USAGE'
usage: bash tools/infra/infra.sh <command> [kafka|ferretdb]   (no component = both)
  up       download/build on first use, start, wait until ready (idempotent)
  down     stop cleanly (SIGTERM, waits); data is kept
  restart  down + up; data is kept
  kill     SIGKILL, as in a crash (fault tests); data is kept
  status   state, pid and address of each component
  clean    delete data and logs of stopped components (downloads are kept)
  env      print the export lines (eval "$(bash tools/infra/infra.sh env)")
USAGE
}

print_env() {
  printf 'export KAFKA_BROKERS=%s\n' "$(kafka_brokers)"
  printf 'export MONGO_URL=%s\n' "$(mongo_url)"
}

cmd="${1:-}"
component="${2:-all}"
case "$component" in
  all) components=(kafka ferretdb) ;;
  kafka | ferretdb) components=("$component") ;;
  *)
    usage >&2
    die "unknown component '$component'" "use kafka, ferretdb, or nothing for both"
    ;;
esac

case "$cmd" in
  up)
    take_lock
    for c in "${components[@]}"; do "${c}_up"; done
    step "up: done"
    echo
    echo "Export these for tests and services (or: source tools/infra/env.sh):"
    echo "  export KAFKA_BROKERS=$(kafka_brokers) MONGO_URL=$(mongo_url)"
    ;;
  down)
    take_lock
    for c in "${components[@]}"; do "${c}_down"; done
    ;;
  kill)
    take_lock
    for c in "${components[@]}"; do "${c}_kill"; done
    ;;
  restart)
    take_lock
    for c in "${components[@]}"; do
      "${c}_down"
      "${c}_up"
    done
    step "restart: done"
    ;;
  clean)
    take_lock
    for c in "${components[@]}"; do "${c}_clean"; done
    ;;
  status)
    for c in "${components[@]}"; do "${c}_status"; done
    ;;
  env)
    print_env
    ;;
  -h | --help | help)
    usage
    ;;
  *)
    usage >&2
    die "unknown command '${cmd}'" "use one of: up down restart kill status clean env"
    ;;
esac
