# shellcheck shell=bash
# Shared helpers for tools/infra/*.sh. Sourced, never run.

INFRA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_SCRIPT_DIR/../.." && pwd)"
# INFRA_DIR: another state directory runs a second, independent Kafka + FerretDB (with other
# KAFKA_PORT/KAFKA_CONTROLLER_PORT/FERRETDB_PORT), e.g. for a fault test that restarts its broker.
INFRA_DIR="${INFRA_DIR:-$REPO_ROOT/.infra}"
# Outside the repo: survives a fresh clone on the same machine (CI clones anew every run).
INFRA_CACHE_DIR="${INFRA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/integrations-infra}"
INFRA_T0="${EPOCHREALTIME/,/.}"

# Seconds since the script started, one decimal: every progress line carries it so a slow
# step is obvious in CI logs.
elapsed() {
  local now="${EPOCHREALTIME/,/.}"
  awk -v a="$INFRA_T0" -v b="$now" 'BEGIN { printf "%5.1fs", b - a }'
}

step() { printf '[infra %s] %s\n' "$(elapsed)" "$*"; }
warn() { printf '[infra %s] WARNING: %s\n' "$(elapsed)" "$*" >&2; }

# die "what failed" "next step" [more next-step lines...]
die() {
  local what="$1"
  shift
  printf '[infra %s] FAILED: %s\n' "$(elapsed)" "$what" >&2
  local line
  for line in "$@"; do printf '  next step: %s\n' "$line" >&2; done
  exit 1
}

# Unexpected failures (set -e) still say where they happened instead of exiting silently.
on_unexpected_error() {
  local rc=$? line="$1" cmd="$2"
  printf '[infra %s] FAILED: command exited %s at %s:%s: %s\n' "$(elapsed)" "$rc" \
    "${BASH_SOURCE[1]:-infra.sh}" "$line" "$cmd" >&2
  printf '  next step: rerun with "bash -x tools/infra/infra.sh ..." to see every command\n' >&2
  exit "$rc"
}

need_cmd() {
  local cmd="$1" how="$2"
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not installed" "$how"
}

need_node_modules() {
  local pkg
  need_cmd node "install Node.js 20 (e.g. apt-get install -y nodejs npm, or https://nodejs.org)"
  for pkg in "$@"; do
    [ -d "$REPO_ROOT/node_modules/$pkg" ] ||
      die "node_modules/$pkg is missing (the readiness checks use it)" "run 'npm ci' at $REPO_ROOT"
  done
}

# A pid counts as ours only while its command line still matches: pid files survive reboots
# and pids get reused.
pid_matches() {
  local pid="$1" pattern="$2"
  local cmdline
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" &&
    [[ "$cmdline" == *"$pattern"* ]]
}

# Prints the live pid recorded in the pid file, or nothing (and removes a stale file).
read_live_pid() {
  local pidfile="$1" pattern="$2" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if pid_matches "$pid" "$pattern"; then
    printf '%s' "$pid"
  else
    rm -f "$pidfile"
  fi
}

port_listening() {
  local port="$1"
  [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
}

# Who holds a TCP port, e.g. 'users:(("java",pid=123,fd=140))'.
port_holder() {
  local port="$1" out
  out="$(ss -Hltnp "sport = :$port" 2>/dev/null | awk '{ print $NF }' | sort -u | paste -sd' ' -)"
  printf '%s' "${out:-an unknown process (see: ss -ltnp \"sport = :$port\")}"
}

# True when the given pid is among the processes listening on the port.
port_owned_by() {
  local port="$1" pid="$2"
  [[ "$(ss -Hltnp "sport = :$port" 2>/dev/null)" == *"pid=$pid,"* ]]
}

# An already running instance must be the one on the configured port: a changed *_PORT
# between runs would otherwise wait on (or report) some other server.
ensure_running_on_port() {
  local pid="$1" port="$2" var="$3" what="$4"
  if port_listening "$port" && ! port_owned_by "$port" "$pid"; then
    die "$what is running (pid $pid) but port $port belongs to $(port_holder "$port")" \
      "it was started with another $var; stop it first: bash tools/infra/infra.sh down, then up again"
  fi
}

# Fails with the holder and the variable to change when a port we are about to bind is taken.
ensure_port_free() {
  local port="$1" var="$2" what="$3"
  if port_listening "$port"; then
    die "$what port $port is already in use by $(port_holder "$port")" \
      "stop that process, or pick another port: $var=<port> bash tools/infra/infra.sh up" \
      "if it is a previous run of this script whose pid file was lost: kill the pid shown above"
  fi
}

# Sends a signal and waits for the process to exit; returns 1 on timeout.
stop_pid() {
  local pid="$1" signal="$2" timeout_s="$3" waited=0
  kill "-$signal" "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    # A zombie (exited, parent not reaping) is as good as gone.
    if [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = "Z" ]; then return 0; fi
    if [ "$waited" -ge $((timeout_s * 10)) ]; then return 1; fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Stops a component's daemon (pid "" = not running) and removes its pid file. SIGKILL is the
# crash of fault tests; any other signal gets timeout_s to work, then SIGKILL.
# stop_daemon NAME PID PIDFILE SIGNAL TIMEOUT_S [NOTE on the stopping line] [NOTE on the SIGKILL warning]
stop_daemon() {
  local name="$1" pid="$2" pidfile="$3" signal="$4" timeout_s="$5" note="${6:-}" kill_note="${7:-}"
  if [ -z "$pid" ]; then
    step "$name: not running"
    return 0
  fi
  if [ "$signal" = KILL ]; then
    step "$name: killing pid $pid (SIGKILL)"
    stop_pid "$pid" KILL 10 || die "$name: pid $pid survived SIGKILL" "check 'ps -o pid,stat,cmd -p $pid'"
    rm -f "$pidfile"
    step "$name: killed"
    return 0
  fi
  step "$name: stopping pid $pid (SIG$signal$note)"
  if ! stop_pid "$pid" "$signal" "$timeout_s"; then
    warn "$name: pid $pid still alive after ${timeout_s}s; sending SIGKILL$kill_note"
    stop_pid "$pid" KILL 10 || die "$name: pid $pid survived SIGKILL" "check 'ps -o pid,stat,cmd -p $pid'"
  fi
  rm -f "$pidfile"
  step "$name: stopped"
}

# `clean` deletes what a running daemon has open: refuse.
ensure_stopped() {
  local name="$1" pid="$2"
  [ -z "$pid" ] || die "$name is running" "bash tools/infra/infra.sh down $name first"
}

# One `status` line: running or starting (our pid), foreign (another process holds the port), or
# stopped. The columns line up across components; libs/testing reads "running" and the address.
# print_status NAME PID PORT ADDRESS LOGS
print_status() {
  local name="$1" pid="$2" port="$3" address="$4" logs="$5"
  if [ -n "$pid" ]; then
    if port_listening "$port"; then
      printf '%-9s running  pid %-8s %s  (%s)\n' "$name" "$pid" "$address" "$logs"
    else
      printf '%-9s starting pid %-8s %s  (not listening yet)\n' "$name" "$pid" "$address"
    fi
  elif port_listening "$port"; then
    printf '%-9s foreign  -            %s  held by %s (not started by this script)\n' \
      "$name" "$address" "$(port_holder "$port")"
  else
    printf '%-9s stopped  -            %s\n' "$name" "$address"
  fi
}

# Starts a command detached from this shell: own session (a Ctrl-C or a CI trap on the caller
# does not reach it), stdin closed, and without the lock fd (else the daemon would hold the
# lock forever).
launch_daemon() {
  local logfile="$1" pidfile="$2"
  shift 2
  setsid nohup "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  printf '%s\n' "$!" >"$pidfile"
}

log_tail() {
  local file="$1" lines="${2:-40}"
  if [ -s "$file" ]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '-----\n' >&2
  fi
}

# Serialises concurrent runs (several engineers share one machine): two 'up' at once would
# both see the port free and both start a broker.
take_lock() {
  mkdir -p "$INFRA_DIR"
  exec 9>"$INFRA_DIR/.lock"
  if ! flock -n 9; then
    step "another infra.sh is running; waiting for it to finish"
    flock -w 900 9 || die "another infra.sh held $INFRA_DIR/.lock for 15 minutes" \
      "check 'ps aux | grep infra.sh'; remove $INFRA_DIR/.lock if no such process remains"
  fi
}
