# shellcheck shell=bash
# A standalone single-node Kafka broker (KRaft) for scripts/run and load tests, built from
# Maven artifacts: no Docker, no Kafka download (sourced, never executed).
#
#   pulse_kafka_fetch   download the broker jars into .pulse/kafka/lib (once)
#   pulse_kafka_start   start the broker in the background, or reuse one that is already up;
#                       sets PULSE_KAFKA_STARTED=1 only when this shell started it
#   pulse_kafka_stop    stop the broker recorded in .pulse/kafka/kafka.pid (that pid only)
#   pulse_kafka_wipe    delete the broker's data (all topics); stops our broker first
#   pulse_kafka_tool CLASS ARGS...   run a Kafka command-line tool from the same jars, e.g.
#                       pulse_kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --list
#
# Environment: PULSE_KAFKA_PORT (default 19092), PULSE_KAFKA_CONTROLLER_PORT (default 19093).

# PULSE_KAFKA_STARTED is read by the callers of pulse_kafka_start.
# shellcheck disable=SC2034

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PULSE_KAFKA_DIR="$PULSE_STATE_DIR/kafka"
# The jars are the same for every state directory: download them once.
PULSE_KAFKA_LIB="$PULSE_ROOT/.pulse/kafka/lib"
PULSE_KAFKA_DATA="$PULSE_KAFKA_DIR/data"
PULSE_KAFKA_PIDFILE="$PULSE_KAFKA_DIR/kafka.pid"
PULSE_KAFKA_LOG="$PULSE_KAFKA_DIR/kafka.log"   # broker log (log4j)
PULSE_KAFKA_OUT="$PULSE_KAFKA_DIR/kafka.out"   # JVM stdout/stderr, storage formatting
PULSE_KAFKA_POM="$PULSE_ROOT/scripts/kafka/pom.xml"
# Fixed cluster id: 22 characters of base64url for 16 bytes ("pulse-kraft-0001").
PULSE_KAFKA_CLUSTER_ID="cHVsc2Uta3JhZnQtMDAwMQ"
PULSE_KAFKA_STARTED=0

# Logging flags for every JVM started from these jars. Kafka logs through SLF4J to reload4j
# (configured by a log4j.properties); log4j2-core also sits on Kafka's classpath, unconfigured,
# and would print a "No configuration found" status error: keep it quiet.
_pulse_kafka_jvm_log_opts() {
  printf '%s\n' "-Dlog4j.configuration=file:$PULSE_KAFKA_DIR/$1" -Dlog4j2.statusLoggerLevel=OFF
}

_pulse_kafka_port() { printf '%s' "${PULSE_KAFKA_PORT:-19092}"; }
_pulse_kafka_controller_port() { printf '%s' "${PULSE_KAFKA_CONTROLLER_PORT:-19093}"; }

# The pom's checksum is stored next to the jars, so editing the pom triggers a new download.
_pulse_kafka_pom_sum() { cksum <"$PULSE_KAFKA_POM" | tr -d ' '; }

pulse_kafka_fetch() {
  local stamp="$PULSE_KAFKA_LIB/.pom-checksum" tmp
  if [[ -f $stamp && $(cat "$stamp") == "$(_pulse_kafka_pom_sum)" ]]; then
    return 0
  fi
  pulse_log "downloading Kafka broker jars with Maven into ${PULSE_KAFKA_LIB#"$PULSE_ROOT"/}"
  mkdir -p "$PULSE_KAFKA_DIR"
  # Download into a scratch directory and swap it in: an interrupted download never looks complete.
  tmp="$PULSE_KAFKA_DIR/lib.partial"
  rm -rf "$tmp"
  mvn -q -B -f "$PULSE_KAFKA_POM" dependency:copy-dependencies -DoutputDirectory="$tmp"
  _pulse_kafka_pom_sum >"$tmp/.pom-checksum"
  rm -rf "$PULSE_KAFKA_LIB"
  mkdir -p "$(dirname "$PULSE_KAFKA_LIB")"   # absent in a fresh clone whose first broker is a benchmark's
  mv "$tmp" "$PULSE_KAFKA_LIB"
}

# Pid of the broker recorded by an earlier pulse_kafka_start, if that process is still a
# live Kafka broker; fails otherwise.
_pulse_kafka_live_pid() {
  local pid
  [[ -f $PULSE_KAFKA_PIDFILE ]] || return 1
  pid=$(<"$PULSE_KAFKA_PIDFILE")
  pulse_pid_matches "$pid" kafka.Kafka || return 1
  printf '%s\n' "$pid"
}

_pulse_kafka_write_config() {
  local port cport
  port=$(_pulse_kafka_port)
  cport=$(_pulse_kafka_controller_port)
  cat >"$PULSE_KAFKA_DIR/server.properties" <<PROPS
# Written by scripts/lib/kafka.sh on every start; edit that file, not this one.
# One node that is both broker and KRaft controller, bound to loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${cport}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${PULSE_KAFKA_DATA}
num.partitions=6
auto.create.topics.enable=true
# A single broker cannot replicate internal topics.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Consumers get their partitions at once instead of after the default 3 s delay.
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$PULSE_KAFKA_DIR/log4j.properties" <<PROPS
# Written by scripts/lib/kafka.sh. Broker log at INFO to kafka.log; console errors only.
log4j.rootLogger=INFO, file, console
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${PULSE_KAFKA_LOG}
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.Threshold=ERROR
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=[kafka] %p %m (%c)%n
# Per-request and state-change chatter is not useful for local runs.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPS
  cat >"$PULSE_KAFKA_DIR/tools-log4j.properties" <<PROPS
# Written by scripts/lib/kafka.sh. Command-line tools: warnings to stderr only.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS
}

# Waits until PORT answers; fails early if PID (when given) dies, after TIMEOUT seconds otherwise.
_pulse_kafka_wait_port() {
  local port=$1 pid=${2:-} timeout=${3:-60} i
  for ((i = 0; i < timeout * 4; i++)); do
    pulse_port_open "$port" && return 0
    if [[ -n $pid ]] && ! pulse_pid_cmdline "$pid" >/dev/null; then
      # kafka.out holds the JVM's own output plus every ERROR (the console appender).
      pulse_log "Kafka broker (pid $pid) exited during start-up; last lines of ${PULSE_KAFKA_OUT#"$PULSE_ROOT"/}:"
      tail -n 40 "$PULSE_KAFKA_OUT" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.25
  done
  pulse_log "Kafka broker did not answer on 127.0.0.1:$port within ${timeout}s (see $PULSE_KAFKA_LOG)"
  return 1
}

pulse_kafka_start() {
  local port pid
  local -a log_opts
  port=$(_pulse_kafka_port)
  PULSE_KAFKA_STARTED=0

  # Reuse a broker left by an earlier run rather than start a second one on the same ports.
  if pid=$(_pulse_kafka_live_pid); then
    pulse_log "reusing Kafka broker pid $pid (started earlier) on 127.0.0.1:$port"
    _pulse_kafka_wait_port "$port" "$pid"
    return
  fi
  rm -f "$PULSE_KAFKA_PIDFILE"
  if pulse_port_open "$port"; then
    pulse_log "something already answers on 127.0.0.1:$port; reusing it as the Kafka broker"
    return 0
  fi

  pulse_kafka_fetch
  mkdir -p "$PULSE_KAFKA_DATA"
  _pulse_kafka_write_config
  mapfile -t log_opts < <(_pulse_kafka_jvm_log_opts log4j.properties)

  # Format the storage once; meta.properties marks a formatted log dir. (No --standalone:
  # it must not be combined with controller.quorum.voters.)
  if [[ ! -f $PULSE_KAFKA_DATA/meta.properties ]]; then
    pulse_log "formatting Kafka storage in ${PULSE_KAFKA_DATA#"$PULSE_ROOT"/}"
    java "${log_opts[@]}" -cp "$PULSE_KAFKA_LIB/*" kafka.tools.StorageTool format \
      -t "$PULSE_KAFKA_CLUSTER_ID" -c "$PULSE_KAFKA_DIR/server.properties" >>"$PULSE_KAFKA_OUT" 2>&1 \
      || { tail -n 20 "$PULSE_KAFKA_OUT" >&2; pulse_die "formatting Kafka storage failed"; }
  fi

  pulse_log "starting Kafka broker on 127.0.0.1:$port (log: ${PULSE_KAFKA_LOG#"$PULSE_ROOT"/})"
  # nohup: survives a closed terminal if the caller's trap could not run. As a background
  # job of a non-interactive shell it also ignores Ctrl-C; callers stop it with pulse_kafka_stop.
  nohup java -Xmx512m "${log_opts[@]}" -Dkafka.logs.dir="$PULSE_KAFKA_DIR" -cp "$PULSE_KAFKA_LIB/*" \
    kafka.Kafka "$PULSE_KAFKA_DIR/server.properties" >>"$PULSE_KAFKA_OUT" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$PULSE_KAFKA_PIDFILE"
  PULSE_KAFKA_STARTED=1
  if ! _pulse_kafka_wait_port "$port" "$pid"; then
    pulse_kafka_stop
    return 1
  fi
  pulse_log "Kafka broker pid $pid answers on 127.0.0.1:$port"
}

pulse_kafka_stop() {
  local pid
  if pid=$(_pulse_kafka_live_pid); then
    pulse_log "stopping Kafka broker pid $pid"
    pulse_stop_pid "$pid" 60
  fi
  rm -f "$PULSE_KAFKA_PIDFILE"
}

pulse_kafka_wipe() {
  pulse_kafka_stop
  if pulse_port_open "$(_pulse_kafka_port)"; then
    pulse_log "warning: a broker not started by these scripts answers on port $(_pulse_kafka_port); its topics are not wiped"
  fi
  pulse_log "wiping Kafka data in ${PULSE_KAFKA_DATA#"$PULSE_ROOT"/}"
  rm -rf "$PULSE_KAFKA_DATA"
}

# Runs a Kafka command-line tool (TopicCommand, ProducerPerformance, ConsumerPerformance...)
# with the broker's jars; fetches them first if needed.
pulse_kafka_tool() {
  local -a log_opts
  pulse_kafka_fetch
  [[ -f $PULSE_KAFKA_DIR/tools-log4j.properties ]] || _pulse_kafka_write_config
  mapfile -t log_opts < <(_pulse_kafka_jvm_log_opts tools-log4j.properties)
  java "${log_opts[@]}" -cp "$PULSE_KAFKA_LIB/*" "$@"
}
