# shellcheck shell=bash
# Source me: `source tools/infra/env.sh`. Exports the addresses of the local infrastructure
# started by tools/infra/infra.sh. Values already set (e.g. docker-compose, CI) are kept.
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${FERRETDB_PORT:-27017}}"
