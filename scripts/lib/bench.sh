# shellcheck shell=bash
# Shared by the benchmark scripts (scripts/bench-*): a private broker and database, the builds, and
# Pulse started as a process. Sourced, never executed. The caller sets nothing; everything lives in
# .pulse/bench (broker on port 29092 unless BENCH_KAFKA_PORT says otherwise, Pulse on 28080 unless
# BENCH_PULSE_PORT does), and the EXIT trap stops
# what was started, by pid.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PULSE_STATE_DIR="$BENCH_ROOT/.pulse/bench"
export PULSE_KAFKA_PORT=${BENCH_KAFKA_PORT:-29092} PULSE_KAFKA_CONTROLLER_PORT=${BENCH_KAFKA_CONTROLLER_PORT:-29093}
# shellcheck source=scripts/lib/postgres.sh
source "$BENCH_ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/kafka.sh
source "$BENCH_ROOT/scripts/lib/kafka.sh"
# shellcheck source=scripts/lib/histogram.sh
source "$BENCH_ROOT/scripts/lib/histogram.sh"

BENCH_BOOT="127.0.0.1:$PULSE_KAFKA_PORT"
BENCH_TOPIC=pulse.bench.events
BENCH_RUN=$(date +%s)
BENCH_HTTP_PORT=${BENCH_PULSE_PORT:-28080}
BENCH_JAR="$BENCH_ROOT/target/pulse-0.1.0-SNAPSHOT.jar"
mkdir -p "$PULSE_STATE_DIR"
BENCH_RESULTS="$PULSE_STATE_DIR/results-$BENCH_RUN.txt"
bench_pids=()
# Pulse answers only with credentials (SPEC §5.5): one admin token per benchmark run, passed hashed to Pulse and in
# the clear to the load generator, Progress and LiveClients through PULSE_TOKEN.
# shellcheck source=scripts/lib/security.sh
source "$BENCH_ROOT/scripts/lib/security.sh"
export PULSE_TOKEN=${PULSE_TOKEN:-$(pulse_random_token)}
BENCH_SECURITY="$PULSE_STATE_DIR/security.yml"
pulse_security_config "$BENCH_SECURITY" "" "" "$PULSE_TOKEN" "" >/dev/null

# shellcheck disable=SC2317  # invoked through the EXIT trap
bench_cleanup() {
  local rc=$? pid
  trap '' INT TERM
  for pid in "${bench_pids[@]}"; do
    pulse_stop_pid "$pid" 20
  done
  pulse_kafka_stop || true
  exit "$rc"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_result() { printf '%s\n' "$*" | tee -a "$BENCH_RESULTS"; }

# Builds Pulse, the load generator and bench/ before anything is measured; sets BENCH_CP and LOAD_CP.
bench_build() {
  pulse_log "building Pulse, the load generator and the reference applications (bench/)"
  (cd "$BENCH_ROOT" && mvn -q -B -DskipTests package \
    && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load.classpath >/dev/null \
    && mvn -q -B -f bench/pom.xml compile \
    && mvn -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath >/dev/null)
  BENCH_CP="$BENCH_ROOT/bench/target/classes:$(cat "$BENCH_ROOT/bench/target/classpath")"
  LOAD_CP="$BENCH_ROOT/target/test-classes:$BENCH_ROOT/target/classes:$(cat "$BENCH_ROOT/target/load.classpath")"
  # A plain command, so that `"${BENCH_LOAD_CMD[@]}" ... &` makes $! the JVM itself and the EXIT trap can stop it.
  BENCH_LOAD_CMD=(java -Xmx2g -cp "$LOAD_CP" dev.pulse.load.LoadGenerator --target kafka --bootstrap "$BENCH_BOOT" --topic "$BENCH_TOPIC")
}

# A fresh database DB, a fresh broker and the topic with PARTITIONS partitions.
bench_infra() {
  local db=$1 partitions=$2
  pulse_pg_ensure
  pulse_pg_recreate_db "$db"
  pulse_kafka_wipe
  pulse_port_open "$PULSE_KAFKA_PORT" && pulse_die "port $PULSE_KAFKA_PORT is in use by another broker; set BENCH_KAFKA_PORT"
  pulse_kafka_start
  # BENCH_TOPIC_CONFIGS: extra topic settings, word-split (e.g. "--config message.timestamp.type=LogAppendTime", which
  # stamps each record with the broker's clock, to tell a late producer from a late consumer)
  # shellcheck disable=SC2086
  pulse_kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BENCH_BOOT" --create --topic "$BENCH_TOPIC" \
    --partitions "$partitions" --replication-factor 1 ${BENCH_TOPIC_CONFIGS:-} >/dev/null
  bench_result "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
}

bench_java() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" "$@"; }
# For a JVM started in the background: `bench_java ... &` would make $! a subshell, and stopping it would leave the
# JVM running (a Kafka Streams reference once went on taking half a core through later measurements).
bench_java_background() {
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" "$@" &
  bench_pids+=($!)
}
bench_load() { "${BENCH_LOAD_CMD[@]}" "$@"; }

# Starts Pulse on the bench topic and database DB (checkpoints on, simulator off); sets BENCH_PULSE_PID.
# With WAIT=healthy, returns once /actuator/health answers 200.
bench_start_pulse() {
  local db=$1 partitions=$2 wait=${3:-} i
  pulse_port_open "$BENCH_HTTP_PORT" && pulse_die "port $BENCH_HTTP_PORT is in use; set BENCH_PULSE_PORT"
  pulse_log "starting Pulse (log: ${PULSE_STATE_DIR#"$BENCH_ROOT"/}/pulse.log)"
  # BENCH_PULSE_OPTS: extra JVM options for Pulse, word-split on purpose (e.g. -XX:StartFlightRecording=filename=x.jfr)
  # shellcheck disable=SC2086,SC2046  # pulse_jvm_flags prints one flag per line
  env SPRING_CONFIG_ADDITIONAL_LOCATION="file:$BENCH_SECURITY" PULSE_PORT="$BENCH_HTTP_PORT" PULSE_DB_NAME="$db" PULSE_KAFKA_BOOTSTRAP_SERVERS="$BENCH_BOOT" \
    PULSE_KAFKA_TOPIC="$BENCH_TOPIC" PULSE_KAFKA_DLQ_TOPIC="$BENCH_TOPIC.dlq" PULSE_KAFKA_GROUP_ID="pulse-$BENCH_RUN" \
    PULSE_KAFKA_PARTITIONS="$partitions" PULSE_SIMULATOR_ENABLED=false PULSE_STREAM_IDLE_ADVANCE="${BENCH_IDLE_ADVANCE:-0}" \
    PULSE_LIVE_MAX_CONNECTIONS_PER_USER=100000 \
    java -Xmx2g $(pulse_jvm_flags) ${BENCH_PULSE_OPTS:-} -jar "$BENCH_JAR" >"$PULSE_STATE_DIR/pulse.log" 2>&1 &
  BENCH_PULSE_PID=$!
  bench_pids+=("$BENCH_PULSE_PID")
  if [[ $wait == healthy ]]; then
    for ((i = 0; i < 240; i++)); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$BENCH_HTTP_PORT/actuator/health" || true) == 200 ]] && return 0
      pulse_pid_cmdline "$BENCH_PULSE_PID" >/dev/null || { tail -n 40 "$PULSE_STATE_DIR/pulse.log" >&2; pulse_die "Pulse exited during start-up"; }
      sleep 0.5
    done
    pulse_die "Pulse did not become healthy in 120 s"
  fi
}

# Pulse's live heap after a full GC, in MiB (from /actuator/prometheus).
bench_pulse_heap_mib() {
  jcmd "$BENCH_PULSE_PID" GC.run >/dev/null 2>&1 || true
  curl -s -H "Authorization: Bearer $PULSE_TOKEN" "http://127.0.0.1:$BENCH_HTTP_PORT/actuator/prometheus" \
    | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {sum += $NF} END {printf "%.0f", sum / 1048576}'
}

# One of Pulse's timer histograms (Prometheus name, e.g. pulse_push_latency_seconds), as histogram_buckets lines.
bench_histogram() {
  curl -s -H "Authorization: Bearer $PULSE_TOKEN" "http://127.0.0.1:$BENCH_HTTP_PORT/actuator/prometheus" \
    | histogram_buckets "$1"
}

# p50, p99 and p99.9 of a histogram between two bench_histogram files (bucket upper bounds, in ms), and how many
# samples it counted.
bench_quantiles() {
  local q bound total ms out=""
  for q in 0.5 0.99 0.999; do
    read -r bound _ total < <(histogram_quantile "$q" "$2" "$1")
    ((total > 0)) || { echo "no samples"; return; }
    if [[ $bound == +Inf ]]; then ms=inf; else ms=$(awk -v b="$bound" 'BEGIN { print b * 1000 }'); fi
    out+="p$(awk -v q="$q" 'BEGIN { print q * 100 }') <= $ms ms, "
  done
  echo "${out}${total} samples"
}

# CPU seconds (user + system) a process has used so far.
bench_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}
