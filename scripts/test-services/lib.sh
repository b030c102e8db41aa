# Shared helpers for the scripts in scripts/test-services (sourced, not run).
# Each service script keeps everything of its instance in one folder: data, log, pid.

# Prints a TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
  python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

# log MESSAGE...: progress goes to stderr; stdout carries only the export lines.
log() { echo "test-services: $*" >&2; }
die() { echo "test-services: error: $*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  log "$what is ready"
}

# alive PID: the process exists and is not a zombie (in a container PID 1 may never reap
# what was reparented to it, so kill -0 alone can report a dead server as running).
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
  [ "$state" != "Z" ]
}

# stop_pid PIDFILE: SIGTERM, then SIGKILL after 10 s; quiet when it is already gone.
stop_pid() {
  local pidfile=$1 pid
  [ -s "$pidfile" ] || return 0
  pid=$(head -n 1 "$pidfile")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then
      log "pid $pid did not stop in 10 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# usage_start_stop NAME: the common command line of a service script.
usage_start_stop() {
  echo "usage: scripts/test-services/$1 start DIR   (prints export lines)" >&2
  echo "       scripts/test-services/$1 stop DIR" >&2
  exit 2
}
