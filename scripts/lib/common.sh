# shellcheck shell=bash
# Small helpers shared by scripts/lib/postgres.sh, scripts/lib/kafka.sh, scripts/run and
# scripts/test. Sourced, never executed; safe to source more than once.

# Repository root, whichever script sourced us and from wherever it was called.
PULSE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Local state (broker jars and data, pid files, logs); git-ignored.
# shellcheck disable=SC2034  # used by the scripts that source this file
# A benchmark sets its own (e.g. .pulse/bench) to keep its broker apart from scripts/run's.
PULSE_STATE_DIR="${PULSE_STATE_DIR:-$PULSE_ROOT/.pulse}"

pulse_log() { printf '[pulse] %s\n' "$*" >&2; }
pulse_die() { printf '[pulse] ERROR: %s\n' "$*" >&2; exit 1; }

# The JVM flags Pulse runs with, one per line (docs/performance.md, eleventh session). The engine reads each family's
# state cold at its event and writes new objects into that old state:
# - the heap in transparent huge pages, so that those reads miss the TLB less (about 8-10 % less CPU per event);
# - on JDK 17-19, G1's card refinement left to its pauses instead of concurrent threads re-scanning the same cards as
#   they are dirtied again (about a quarter less CPU for the whole process, pauses about 50-70 ms longer at 2 GiB).
#   Later JDKs redid refinement and no longer know these flags, so they are not given there.
# A kernel without transparent huge pages makes the JVM warn once and run as before. JAVA_OPTS given after these
# override them (-XX:-UseTransparentHugePages, -XX:+G1UseAdaptiveConcRefinement).
pulse_jvm_flags() {
  local major
  printf '%s\n' -XX:+UseTransparentHugePages
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  if [[ $major =~ ^[0-9]+$ ]] && ((major >= 17 && major <= 19)); then
    printf '%s\n' -XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=200000 \
      -XX:G1ConcRefinementYellowZone=300000 -XX:G1ConcRefinementRedZone=400000
  fi
}

# Runs a command as root: directly when we are root, through sudo otherwise.
pulse_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    pulse_log "root (or sudo) is needed to run: $*"
    return 1
  fi
}

# apt-get install, running `apt-get update` at most once per script run (fresh CI images
# come with empty package lists).
_PULSE_APT_UPDATED=0
pulse_apt_install() {
  command -v apt-get >/dev/null 2>&1 || { pulse_log "apt-get not found; install manually: $*"; return 1; }
  if [[ $_PULSE_APT_UPDATED -eq 0 ]]; then
    pulse_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    _PULSE_APT_UPDATED=1
  fi
  pulse_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# True when a TCP connection to 127.0.0.1:PORT succeeds (bash's /dev/tcp: no nc/ss needed).
pulse_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the command line of a live process, or fails. A zombie (exited but not yet reaped
# child) counts as dead: its /proc cmdline is empty, whereas `kill -0` would still succeed.
pulse_pid_cmdline() {
  local pid=$1 cmd
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    # the process may exit between the test and the read: the redirection's error is silenced too
    cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  else
    cmd=$(ps -p "$pid" -o command= 2>/dev/null) || return 1
  fi
  [[ -n $cmd ]] || return 1
  printf '%s\n' "$cmd"
}

# True when PID is alive and its command line contains PATTERN (guards against a pid that
# was recycled by an unrelated process since we recorded it).
pulse_pid_matches() {
  local cmd
  cmd=$(pulse_pid_cmdline "$1") || return 1
  [[ $cmd == *"$2"* ]]
}

# Sends SIGTERM to PID and waits up to TIMEOUT seconds (default 30) for it to exit, then
# SIGKILLs it. Only ever signals the one pid it is given.
pulse_stop_pid() {
  local pid=$1 timeout=${2:-30} i
  pulse_pid_cmdline "$pid" >/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pulse_pid_cmdline "$pid" >/dev/null || break
    sleep 0.1
  done
  if pulse_pid_cmdline "$pid" >/dev/null; then
    pulse_log "pid $pid did not exit after ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  # Reap it if it is our own child, so it does not linger as a zombie.
  wait "$pid" 2>/dev/null || true
}

# Debian's chromium + chromium-driver for the browser tests (STACK.md). Installed from apt
# so that Selenium never downloads a browser or driver by itself.
pulse_ensure_chromium() {
  if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    return 0
  fi
  pulse_log "installing chromium and chromium-driver (browser tests)"
  pulse_apt_install chromium chromium-driver
}
