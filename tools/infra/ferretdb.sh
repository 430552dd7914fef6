# shellcheck shell=bash
# FerretDB v1.24.2 (MongoDB wire protocol) on the SQLite backend. Sourced by infra.sh.

FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
FERRETDB_HOST="${FERRETDB_HOST:-127.0.0.1}"
FERRETDB_PORT="${FERRETDB_PORT:-27017}"
FERRETDB_READY_TIMEOUT_S="${FERRETDB_READY_TIMEOUT_S:-90}"
FERRETDB_STOP_TIMEOUT_S="${FERRETDB_STOP_TIMEOUT_S:-20}"

FERRETDB_DIR="$INFRA_DIR/ferretdb"
FERRETDB_BIN="$FERRETDB_DIR/bin/ferretdb"
FERRETDB_DATA="$FERRETDB_DIR/data"
FERRETDB_STATE="$FERRETDB_DIR/state"
FERRETDB_LOG="$FERRETDB_DIR/ferretdb.log"
FERRETDB_PIDFILE="$FERRETDB_DIR/ferretdb.pid"
FERRETDB_PID_PATTERN="$FERRETDB_BIN "
FERRETDB_CACHED_BIN="$INFRA_CACHE_DIR/ferretdb-$FERRETDB_VERSION"

mongo_url() { printf 'mongodb://%s:%s' "$FERRETDB_HOST" "$FERRETDB_PORT"; }
ferretdb_pid() { read_live_pid "$FERRETDB_PIDFILE" "$FERRETDB_PID_PATTERN"; }

ferretdb_binary_ok() {
  local bin="$1"
  local out
  # Captured first: with pipefail, `| grep -q` would fail whenever grep exits before the
  # writer has finished (SIGPIPE), so the same binary would pass or fail at random.
  [ -x "$bin" ] && out="$("$bin" --version 2>/dev/null)" && grep -qx "version: $FERRETDB_VERSION" <<<"$out"
}

# A plain `go install ...@v1.24.2` builds a binary that panics at start ("Invalid
# build/version/version.txt"): the release process generates that file and the module zip
# does not carry it. So: fetch the same module through the Go module proxy, add the file, and
# build its cmd/ferretdb, which is what `go install` would have compiled.
ferretdb_build() {
  need_cmd go "install Go 1.24 or newer: https://go.dev/doc/install (Debian's golang-go is too old; GOTOOLCHAIN=auto then fetches go1.24 by itself)"
  local src="$FERRETDB_DIR/src" build_log="$FERRETDB_DIR/build.log" mod_dir
  step "ferretdb: fetching $FERRETDB_MODULE@$FERRETDB_VERSION through the Go module proxy"
  if ! mod_dir="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" 2>"$build_log" |
    awk -F'"' '$2 == "Dir" { print $4 }')" || [ -z "$mod_dir" ] || [ ! -d "$mod_dir" ]; then
    log_tail "$build_log" 20
    die "download of $FERRETDB_MODULE@$FERRETDB_VERSION failed (log: $build_log)" \
      "check that the Go module proxy is reachable: go env GOPROXY; then rerun 'bash tools/infra/infra.sh up ferretdb'"
  fi
  rm -rf "$src"
  cp -R "$mod_dir" "$src"
  chmod -R u+w "$src"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  step "ferretdb: compiling cmd/ferretdb (first run only; 3-10 min on a busy 2-core machine)"
  mkdir -p "$FERRETDB_DIR/bin"
  if ! (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) \
    >>"$build_log" 2>&1; then
    log_tail "$build_log" 30
    die "go build of FerretDB failed (log: $build_log)" \
      "check 'go version' (needs 1.24+) and the log above, then rerun 'bash tools/infra/infra.sh up ferretdb'"
  fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
}

ferretdb_install() {
  if ferretdb_binary_ok "$FERRETDB_BIN"; then
    step "ferretdb: binary $FERRETDB_VERSION already in .infra/ferretdb/bin"
    return 0
  fi
  # Another clone on this machine (CI runs in a fresh one) may have built it already.
  if ferretdb_binary_ok "$FERRETDB_CACHED_BIN"; then
    step "ferretdb: copying the $FERRETDB_VERSION binary from $FERRETDB_CACHED_BIN"
    mkdir -p "$FERRETDB_DIR/bin"
    cp "$FERRETDB_CACHED_BIN" "$FERRETDB_BIN"
    return 0
  fi
  ferretdb_build
  ferretdb_binary_ok "$FERRETDB_BIN" ||
    die "the built $FERRETDB_BIN does not report version $FERRETDB_VERSION" \
      "run '$FERRETDB_BIN --version' to see why; delete .infra/ferretdb/bin and retry"
  # Best effort: a read-only or full home only costs the next clone a rebuild.
  if mkdir -p "$(dirname "$FERRETDB_CACHED_BIN")" 2>/dev/null &&
    cp "$FERRETDB_BIN" "$FERRETDB_CACHED_BIN.tmp" 2>/dev/null; then
    mv "$FERRETDB_CACHED_BIN.tmp" "$FERRETDB_CACHED_BIN"
  fi
  step "ferretdb: built $FERRETDB_VERSION (also cached in $FERRETDB_CACHED_BIN)"
}

ferretdb_wait_ready() {
  local pid="$1" timeout_s="$2"
  need_node_modules mongoose
  step "ferretdb: waiting for a driver ping on $(mongo_url) (up to ${timeout_s}s)"
  if ! MONGO_URL="$(mongo_url)" WAIT_TIMEOUT_S="$timeout_s" WAIT_PID="$pid" \
    node "$INFRA_SCRIPT_DIR/wait-mongo.js"; then
    log_tail "$FERRETDB_LOG" 30
    if ! kill -0 "$pid" 2>/dev/null; then
      die "the FerretDB process (pid $pid) exited during start-up (log: $FERRETDB_LOG)" \
        "read the log lines above; a corrupt data dir is fixed by: bash tools/infra/infra.sh clean ferretdb"
    fi
    die "FerretDB (pid $pid) did not answer a ping within ${timeout_s}s (log: $FERRETDB_LOG)" \
      "read the log lines above; it is left running; stop it with: bash tools/infra/infra.sh down ferretdb"
  fi
}

ferretdb_up() {
  mkdir -p "$FERRETDB_DIR"
  local pid
  pid="$(ferretdb_pid)"
  if [ -n "$pid" ]; then
    step "ferretdb: already running (pid $pid) on $(mongo_url)"
    ensure_running_on_port "$pid" "$FERRETDB_PORT" FERRETDB_PORT "FerretDB"
    ferretdb_wait_ready "$pid" "$FERRETDB_READY_TIMEOUT_S"
    return 0
  fi
  ferretdb_install
  ensure_port_free "$FERRETDB_PORT" FERRETDB_PORT "FerretDB"
  mkdir -p "$FERRETDB_DATA" "$FERRETDB_STATE"
  step "ferretdb: starting (SQLite in .infra/ferretdb/data; log: .infra/ferretdb/ferretdb.log)"
  printf '\n===== %s start =====\n' "$(date -Is)" >>"$FERRETDB_LOG"
  # --debug-addr=- : its default 127.0.0.1:8088 is a port other tools like to use.
  DO_NOT_TRACK=1 launch_daemon "$FERRETDB_LOG" "$FERRETDB_PIDFILE" "$FERRETDB_BIN" \
    --handler=sqlite \
    "--sqlite-url=file:$FERRETDB_DATA/" \
    "--listen-addr=$FERRETDB_HOST:$FERRETDB_PORT" \
    "--state-dir=$FERRETDB_STATE" \
    --debug-addr=- \
    --telemetry=disable \
    --log-level=INFO \
    --log-format=text
  pid="$(cat "$FERRETDB_PIDFILE")"
  ferretdb_wait_ready "$pid" "$FERRETDB_READY_TIMEOUT_S"
  step "ferretdb: ready (pid $pid) on $(mongo_url)"
}

ferretdb_down() { stop_daemon ferretdb "$(ferretdb_pid)" "$FERRETDB_PIDFILE" TERM "$FERRETDB_STOP_TIMEOUT_S"; }
ferretdb_kill() { stop_daemon ferretdb "$(ferretdb_pid)" "$FERRETDB_PIDFILE" KILL 10; }

ferretdb_clean() {
  ensure_stopped ferretdb "$(ferretdb_pid)"
  step "ferretdb: deleting data, state and log (the binary is kept)"
  rm -rf "$FERRETDB_DATA" "$FERRETDB_STATE" "$FERRETDB_LOG"
}

ferretdb_status() {
  print_status ferretdb "$(ferretdb_pid)" "$FERRETDB_PORT" "$(mongo_url)" "log: .infra/ferretdb/ferretdb.log"
}
