#!/usr/bin/env bash
# Runs the Hourglass benchmarks against two servers on this machine, side by side:
#   reference  the Temporal Java SDK's in-memory test server, as its own JVM
#   hourglass  ./hourglass server start-dev on a fresh SQLite file, as its own JVM
#   hourglass-pg  ./hourglass server start on a fresh PostgreSQL database (--store postgresql|both)
#   hourglass-pg3 three ./hourglass server start processes on one fresh PostgreSQL database (a
#                 cluster: one active, two standbys forwarding); the bench client starts workflows
#                 on all three in turn and runs a worker on each (--store cluster)
# Each benchmark runs against the reference, then Hourglass; a target that does not come up or
# does not answer is reported and skipped. Ends with a table of both figures and their ratio.
# See docs/performance.md for what the numbers mean.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run.sh [all|workflows|timers|visibility] [options]

  all (default)         workflows (activity, then empty), then timers
  workflows             only the workflow throughput/latency benchmarks
  timers                only the timer benchmark
  visibility            List/CountWorkflowExecutions on a store filled with --runs closed runs
                        (Hourglass targets only: bench visibility-fill writes the store before
                        the server starts on it, then bench visibility measures over gRPC)

Options:
  --count N             workflows per workflow benchmark (default 2000)
  --concurrency C       workflows in flight (default 200)
  --warmup W            unmeasured workflows before each measured phase (default 500)
  --timer-count N       timers (default 1000)
  --sleep D             timer duration in seconds (default 30)
  --start-rate R        timer workflow starts per second (default 100)
  --timers-large        timers with N=10000, D=300 s
  --runs N              closed runs for visibility (default 1000000)
  --repeat N            measured calls per visibility query (default 20)
  --targets LIST        comma-separated subset of reference,hourglass,hourglass-pg,hourglass-pg3
                        (default reference,hourglass)
  --store S             sqlite (default), postgresql or both: which store(s) the Hourglass
                        target(s) run on; postgresql runs the target hourglass-pg on a fresh
                        database at $HOURGLASS_BENCH_PG (default postgresql://postgres@127.0.0.1:5432);
                        cluster runs hourglass-pg (one process) and hourglass-pg3 (three processes)
  --heap SIZE           -Xmx of every JVM: servers and bench client (default 1g)
  --no-build            use what is already built
  -h, --help            this text

Environment: MVN_ARGS is added to the Maven command (e.g. MVN_ARGS=-o when offline);
HOURGLASS_BENCH_PG is the PostgreSQL server (URL without database) the hourglass-pg target
creates its database on and drops it from afterwards.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what=all
build=1
targets="reference hourglass"
wf_count=2000
wf_concurrency=200
wf_warmup=500
# D must exceed the time it takes to create all N timers, or they are never all pending at
# once. Creating one costs a start and a workflow task, about 40 ms of CPU across client and
# server here, so 1000 take 20-30 s on two cores whatever the start rate: hence 30 s, not 5 s.
timer_count=1000
timer_sleep=30
timer_rate=100
heap=1g
vis_runs=1000000
vis_repeat=20

need_value() { [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    all|workflows|timers|visibility) what=$1 ;;
    --count) need_value "$@"; wf_count=$2; shift ;;
    --concurrency) need_value "$@"; wf_concurrency=$2; shift ;;
    --warmup) need_value "$@"; wf_warmup=$2; shift ;;
    --timer-count) need_value "$@"; timer_count=$2; shift ;;
    --sleep) need_value "$@"; timer_sleep=$2; shift ;;
    --start-rate) need_value "$@"; timer_rate=$2; shift ;;
    --timers-large) timer_count=10000; timer_sleep=300 ;;
    --runs) need_value "$@"; vis_runs=$2; shift ;;
    --repeat) need_value "$@"; vis_repeat=$2; shift ;;
    --targets) need_value "$@"; targets=${2//,/ }; shift ;;
    --store)
      need_value "$@"
      case "$2" in
        sqlite) targets="reference hourglass" ;;
        postgresql) targets="reference hourglass-pg" ;;
        both) targets="reference hourglass hourglass-pg" ;;
        cluster) targets="hourglass-pg hourglass-pg3" ;;
        *) echo "unknown store '$2' (sqlite, postgresql, both, cluster)" >&2; exit 2 ;;
      esac
      shift ;;
    --heap) need_value "$@"; heap=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for target in $targets; do
  case "$target" in
    reference|hourglass|hourglass-pg|hourglass-pg3) ;;
    *) echo "unknown target '$target' (reference, hourglass, hourglass-pg, hourglass-pg3)" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hourglass-bench.XXXXXX")"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
CP="$ROOT/hourglass-bench/target/classes:$ROOT/hourglass-bench/target/lib/*"
PG_SERVER="${HOURGLASS_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
PG_DATABASE="hourglass_bench_$$"
JAVA=(java "-Xmx$heap")
# The bench client (client and worker) compiles with C1 only: on two cores C2's compiler threads
# took about half of the client's CPU in a one-minute run, CPU the server under test then lacked.
# The servers keep the JVM's defaults.
CLIENT_JAVA=("${JAVA[@]}" -XX:TieredStopAtLevel=1)

# Process-group ids of the servers we started. Each is started with job control on, which makes
# it the leader of its own group, so stopping the group also stops a JVM that a launcher script
# forked instead of exec'ing. (setsid would fork, and its pid would not be the group's.)
server_groups=()
declare -A port_of=() pid_of=() skipped=() also_of=()
pg_databases=()
# Whether hourglass-pg's database exists yet (created on first start).
pg_created=0
failures=0

cleanup() {
  local group i
  for group in "${server_groups[@]}"; do
    kill -TERM -- "-$group" 2>/dev/null || true
  done
  for group in "${server_groups[@]}"; do
    for i in $(seq 1 20); do
      kill -0 -- "-$group" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$group" 2>/dev/null || true
  done
  rm -f "$WORK"/bench.db "$WORK"/bench.db-*
  for database in "${pg_databases[@]}"; do
    psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  done
  echo "logs and results kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() { # target reason
  skipped[$1]=$2
  echo "!! $1 skipped: $2"
}

# A port nothing on loopback answers on. Another process could take it before the server
# binds; the server then fails to start and the target is reported as skipped.
free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Waits until the server answers as a Temporal frontend (bench ping), up to 300 s: the
# hourglass launcher rebuilds the CLI first when sources changed, and the server may migrate. Gives up at once if the process died.
wait_ready() { # target group port log
  local target=$1 group=$2 port=$3 log=$4 deadline=$((SECONDS + 300))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 -- "-$group" 2>/dev/null; then
      skip "$target" "exited during start-up; last lines of $log:"
      tail -n 15 "$log" | sed 's/^/   /'
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
        && "${CLIENT_JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench ping --address "127.0.0.1:$port" --timeout 5 >/dev/null 2>>"$WORK/ping.log"; then
      echo "   $target answers on 127.0.0.1:$port"
      return 0
    fi
    sleep 1
  done
  skip "$target" "did not answer on 127.0.0.1:$port within 300 s (log: $log)"
  return 1
}

create_pg_database() { # log
  if ! psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $PG_DATABASE" >"$1" 2>&1; then
    skip hourglass-pg "cannot create database $PG_DATABASE on $PG_SERVER: $(tail -n 1 "$1")"
    return 1
  fi
  pg_created=1
}

start_target() { # target
  local target=$1 port log
  port=$(free_port)
  log="$WORK/$target.log"
  case "$target" in
    reference)
      set -m
      "${JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench reference-server --port "$port" >"$log" 2>&1 &
      ;;
    hourglass)
      if [ -n "${skipped[hourglass]:-}" ]; then
        return 0 # the build already ruled it out
      fi
      if [ ! -x "$ROOT/hourglass" ]; then
        skip hourglass "no executable launcher at $ROOT/hourglass"
        return 0
      fi
      # JAVA_OPTS: the usual way to hand JVM flags to a launcher script.
      set -m
      JAVA_OPTS="-Xmx$heap ${JAVA_OPTS:-}" "$ROOT/hourglass" server start-dev \
        --port "$port" --db-filename "$WORK/bench.db" >"$log" 2>&1 &
      ;;
    hourglass-pg)
      if [ -n "${skipped[hourglass]:-}" ]; then
        skipped[hourglass-pg]=${skipped[hourglass]}
        return 0
      fi
      if [ "$pg_created" -eq 0 ] && ! create_pg_database "$log"; then
        return 0
      fi
      pg_databases+=("$PG_DATABASE")
      set -m
      JAVA_OPTS="-Xmx$heap ${JAVA_OPTS:-}" "$ROOT/hourglass" server start \
        --port "$port" --db-url "$PG_SERVER/$PG_DATABASE" >>"$log" 2>&1 &
      ;;
    hourglass-pg3)
      start_cluster
      return 0
      ;;
  esac
  set +m
  server_groups+=("$!")
  echo "-- started $target (pid $!) on port $port, log $log"
  if wait_ready "$target" "$!" "$port" "$log"; then
    port_of[$target]=$port
    pid_of[$target]=$!
  fi
}

# hourglass-pg3: three processes on one new database, started one after the other so the first
# is the active one (its pid is the one whose CPU is reported); the others are standbys.
start_cluster() {
  local database="${PG_DATABASE}_cluster" log port i pid first_port="" first_pid="" also=""
  if [ -n "${skipped[hourglass]:-}" ]; then
    skipped[hourglass-pg3]=${skipped[hourglass]}
    return 0
  fi
  log="$WORK/hourglass-pg3.log"
  if ! psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $database" >"$log" 2>&1; then
    skip hourglass-pg3 "cannot create database $database on $PG_SERVER: $(tail -n 1 "$log")"
    return 0
  fi
  pg_databases+=("$database")
  for i in 1 2 3; do
    port=$(free_port)
    log="$WORK/hourglass-pg3-$i.log"
    set -m
    JAVA_OPTS="-Xmx$heap ${JAVA_OPTS:-}" "$ROOT/hourglass" server start \
      --port "$port" --db-url "$PG_SERVER/$database" >>"$log" 2>&1 &
    pid=$!
    set +m
    server_groups+=("$pid")
    echo "-- started hourglass-pg3 process $i (pid $pid) on port $port, log $log"
    wait_ready hourglass-pg3 "$pid" "$port" "$log" || return 0
    if [ -z "$first_port" ]; then
      first_port=$port
      first_pid=$pid
    else
      also="$also --also-address 127.0.0.1:$port"
    fi
  done
  port_of[hourglass-pg3]=$first_port
  pid_of[hourglass-pg3]=$first_pid
  also_of[hourglass-pg3]=$also
}

# Runs one bench command against every live target in turn; the JSON line goes to $RESULTS.
run_everywhere() { # bench arguments...
  local target out rc also
  for target in $targets; do
    also=""
    # Only the workflows benchmark spreads its clients over a cluster's processes.
    if [ "$1" = workflows ]; then
      also=${also_of[$target]:-}
    fi
    [ -n "${port_of[$target]:-}" ] || continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port_of[$target]}") 2>/dev/null; then
      skip "$target" "stopped answering before: bench $*"
      unset "port_of[$target]"
      continue
    fi
    echo
    echo "== $target: bench $*"
    out="$WORK/last-run.out"
    set +e
    "${CLIENT_JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench "$@" --target "$target" --address "127.0.0.1:${port_of[$target]}" \
      --server-pid "${pid_of[$target]}" $also \
      2>>"$WORK/bench-$target.stderr.log" | tee "$out"
    rc=${PIPESTATUS[0]}
    set -e
    grep '^{' "$out" >>"$RESULTS" || true
    if [ "$rc" -ne 0 ]; then
      failures=$((failures + 1))
      echo "!! $target: bench $1 exited with $rc (stderr: $WORK/bench-$target.stderr.log)"
    fi
  done
}

if [ "$build" -eq 1 ]; then
  echo "-- building hourglass-bench and hourglass-cli"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of flags
  if ! (cd "$ROOT" && mvn -q -B -DskipTests ${MVN_ARGS:-} -pl hourglass-bench,hourglass-cli -am install); then
    # Hourglass is being written; do not let a broken build stop the reference measurement.
    skip hourglass "hourglass-cli did not build"
    (cd "$ROOT" && mvn -q -B -DskipTests ${MVN_ARGS:-} -pl hourglass-bench -am install)
  fi
fi

echo "-- machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -n 1)"
echo "-- commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); work dir $WORK"

# Visibility: per Hourglass target, fill its store while no server has it open, start the server
# on it, measure, stop it (a million runs are written once per target, not per query).
if [ "$what" = visibility ]; then
  for target in $targets; do
    [ "$target" != reference ] || continue
    [ -z "${skipped[$target]:-}" ] || continue
    echo "-- filling the $target store with $vis_runs closed runs"
    if [ "$target" = hourglass ]; then
      store_flag=(--db-filename "$WORK/bench.db")
    else
      create_pg_database "$WORK/$target.log" || continue
      store_flag=(--db-url "$PG_SERVER/$PG_DATABASE")
    fi
    "${CLIENT_JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench visibility-fill "${store_flag[@]}" --runs "$vis_runs" \
      | tee "$WORK/$target-plans.txt" || failures=$((failures + 1))
    if [ "$target" = hourglass-pg ]; then
      # Planner statistics for the bulk-loaded tables, as autovacuum would gather them soon after
      # a load; without them (autovacuum off) PostgreSQL guessed a 0.5 s plan for one query.
      psql -q "$PG_SERVER/$PG_DATABASE" -c "ANALYZE" || true
    fi
    start_target "$target"
    [ -n "${port_of[$target]:-}" ] || continue
    "${CLIENT_JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench visibility --target "$target" --address "127.0.0.1:${port_of[$target]}" \
      --runs "$vis_runs" --repeat "$vis_repeat" 2>>"$WORK/bench-$target.stderr.log" | tee -a "$RESULTS" || failures=$((failures + 1))
    kill -TERM -- "-${server_groups[-1]}" 2>/dev/null || true
  done
  [ "$failures" -eq 0 ]
  exit
fi

for target in $targets; do
  start_target "$target"
done

# Generous: starts may run far below the requested rate (20/s assumed) when the CPU is short.
timer_timeout=$(awk -v n="$timer_count" -v d="$timer_sleep" 'BEGIN { printf "%d", 600 + d + n / 20 }')
if [ "$what" = all ] || [ "$what" = workflows ]; then
  for kind in activity empty; do
    run_everywhere workflows --kind "$kind" --count "$wf_count" --concurrency "$wf_concurrency" --warmup "$wf_warmup" --timeout 900
  done
fi
if [ "$what" = all ] || [ "$what" = timers ]; then
  run_everywhere timers --count "$timer_count" --sleep "$timer_sleep" --start-rate "$timer_rate" --timeout "$timer_timeout"
fi

echo
for target in "${!skipped[@]}"; do
  echo "note: $target skipped: ${skipped[$target]}"
done
if [ -s "$RESULTS" ]; then
  "${JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench report "$RESULTS"
  if grep -q '"target":"hourglass-pg"' "$RESULTS"; then
    echo
    echo "-- the PostgreSQL store against the SQLite one (same run)"
    "${JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench report "$RESULTS" --baseline hourglass --candidate hourglass-pg
  fi
  if grep -q '"target":"hourglass-pg3"' "$RESULTS"; then
    echo
    echo "-- three processes on one PostgreSQL database against one (same run)"
    "${JAVA[@]}" -cp "$CP" dev.hourglass.bench.Bench report "$RESULTS" --baseline hourglass-pg --candidate hourglass-pg3
  fi
else
  echo "no results"
fi
[ "$failures" -eq 0 ]
