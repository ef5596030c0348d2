#!/usr/bin/env bash
# Send-path benchmark: the gateway's text send against its ceiling and against a direct call, in one run, on the
# embedded PostgreSQL and on an external one; it ends with one table of the targets, MET or NOT MET.
#
#   bash bench/run.sh                            # warm-up 10 s, then 20 s per step (about 12 minutes per database)
#   bash bench/run.sh --quick                    # warm-up 2 s, 4 s per step (about 7 minutes per database)
#   BENCH_POSTGRES=embedded bash bench/run.sh    # one database only
#
# BENCH_POSTGRES: both (the default: embedded, then external), embedded or external. External is BENCH_DATABASE_URL
# (a JDBC URL, with BENCH_DATABASE_USER, BENCH_DATABASE_PASSWORD; an empty database) when given, else a cluster
# bench/external-postgres.sh starts for the run (Debian's PostgreSQL, production settings) and deletes.
# Each database is one pass, on 127.0.0.1 only:
#   1. the sandbox as its own process (status webhooks on: sent, delivered and read for every message), the gateway
#      at -Xmx256m (RH_RATE_LIMIT_PER_KEY=0, the channel at 1,000 messages/s, upstream the sandbox) and the ceiling
#      (bench.ceiling.CeilingApplication, a test class: the same stack answering a POST with one INSERT into the
#      same PostgreSQL); wrk (bench/post.lua) drives the ceiling at 1, 32 and 128 connections, the Graph call
#      straight to the sandbox at 32 and 128, the seed's text send through the gateway at 1, 32 and 128;
#   2. the sandbox restarted with 200 ms per call (Meta's latency): the direct call and the gateway at 512;
#   3. the gateway restarted with its built-in sandbox in-process (no RH_GRAPH_URL: what a user tries first) on the
#      same database, the ceiling restarted beside it: the ceiling and the gateway at 1 and 32 connections.
# Every step is checked: the sandbox accepted every message the step stored exactly once, the gateway's 200s (its
# Prometheus counter) are messages it stored, every message reached `read` (its three status webhooks applied), and
# wrk's 200s lie between the server's count and that count minus one abandoned request per connection. Every step
# records CPU seconds per 1,000 answers and peak memory of the gateway, the sandbox, the ceiling and PostgreSQL
# (bench/sampler.py), WAL bytes per answer and the row versions of `messages` per send (pg_stat_user_tables, read
# BENCH_STATS_SETTLE s after the step's last status, once PostgreSQL flushed them) and the index writes they make. BENCH_JFR=1 also records every Java process
# with JFR and adds the gateway's allocated bytes per send (jdk.ObjectAllocationSample).
# Results: bench/results/<time>.json and .md, logs in bench/results/<time>/. Everything started is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then WARMUP=${BENCH_WARMUP:-2}; DURATION=${BENCH_DURATION:-4}; else WARMUP=${BENCH_WARMUP:-10}; DURATION=${BENCH_DURATION:-20}; fi
CONNECTIONS=(1 32 128)
SLOW_CONNECTIONS=512
SLOW_LATENCY=200ms
BUILTIN_NUMBER=100000000000001 # the built-in sandbox's phone number id (rh.sandbox.phone-number-id)
case ${BENCH_POSTGRES:-both} in
  embedded) DATABASES=(embedded) ;;
  external) DATABASES=(external) ;;
  both) DATABASES=(embedded external) ;;
  *) echo "BENCH_POSTGRES: embedded, external or both" >&2; exit 2 ;;
esac

command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$STAMP
mkdir -p "$OUT"
WORK_ROOT=$(mktemp -d /tmp/rh-send-bench.XXXXXX)
STEPS=$OUT/steps.jsonl
: > "$STEPS"
# shellcheck source=bench/lib.sh
. bench/lib.sh
[ -f "$JAR" ] || ./mvnw -q package -DskipTests
build_ceiling_classpath

EXTERNAL_DIR=
finish() {
  [ -z "$EXTERNAL_DIR" ] || bash bench/external-postgres.sh stop "$EXTERNAL_DIR"
  rm -rf "$WORK_ROOT"
}
trap finish EXIT

run_pass() { # embedded | external: the three parts above, on one database
  PASS=$1
  WORK=$WORK_ROOT/$PASS
  mkdir -p "$WORK"
  trap bench_cleanup EXIT
  DB_URL=
  if [ "$PASS" = external ]; then DB_URL=$BENCH_DATABASE_URL; DB_USER=${BENCH_DATABASE_USER:-postgres}; DB_PASSWORD=${BENCH_DATABASE_PASSWORD:-}; fi
  NUMBER=1$(date +%s%N | tail -c 15)
  DIRECT_PHONE=60122$((RANDOM % 90000 + 10000))2

  # --- 1. the sandbox as its own process
  log "[$PASS] sandbox on :$SANDBOX_PORT"
  start_sandbox
  LEDGER=http://127.0.0.1:$SANDBOX_PORT
  start_gateway sandbox gateway
  if [ -n "$DB_URL" ]; then database="external PostgreSQL $PG_VERSION, $DB_URL"
  else database="the gateway's embedded PostgreSQL $PG_VERSION (zonky; fsync and synchronous_commit on) on port $PG_PORT"; fi
  log "[$PASS] PostgreSQL: $database"
  "$PY" -c 'import json, sys; print(json.dumps({"pass": sys.argv[1], "database": sys.argv[2], "postgresVersion": sys.argv[3],
    "settings": dict(l.split("=", 1) for l in sys.argv[5].splitlines()), "messagesIndexes": json.load(open(sys.argv[4]))}))' \
    "$PASS" "$database" "$PG_VERSION" "$WORK/indexes.json" \
    "$(pg -c "SELECT name || '=' || setting || coalesce(unit, '') FROM pg_settings WHERE name IN ('shared_buffers',
       'synchronous_commit', 'fsync', 'max_wal_size', 'wal_compression', 'work_mem', 'max_connections', 'effective_cache_size')")" \
    >> "$OUT/passes.jsonl"
  start_ceiling
  make_org bench "$NUMBER" "$TOKEN" "$LEDGER" "60111$((RANDOM % 90000 + 10000))1"
  write_in "$LEDGER" "$DIRECT_PHONE" "$NUMBER" # the direct call's customer has written in too
  DIRECT_BODY="{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"$DIRECT_PHONE\",\"type\":\"text\",\"text\":{\"body\":\"testing msg\"}}"

  local target c
  for target in ${BENCH_TARGETS:-ceiling direct gateway}; do # BENCH_TARGETS: a subset, to profile one
    bench_step "$target" 32 "$WARMUP" baseline warmup
    for c in "${CONNECTIONS[@]}"; do
      [ "$target" = direct ] && [ "$c" = 1 ] && continue
      bench_step "$target" "$c" "$DURATION" baseline
    done
  done

  # --- 2. a slow upstream: the sandbox again (same state, same port), 200 ms per call
  log "[$PASS] sandbox restarted with $SLOW_LATENCY per call"
  stop_sandbox
  start_sandbox --rh.sandbox.latency=$SLOW_LATENCY
  for target in ${BENCH_SLOW_TARGETS:-direct gateway}; do
    bench_step "$target" "$SLOW_CONNECTIONS" "$WARMUP" slow-upstream warmup
    bench_step "$target" "$SLOW_CONNECTIONS" "$DURATION" slow-upstream
  done

  # --- 3. the built-in sandbox in-process, on the same database
  stop_ceiling
  stop_gateway
  stop_sandbox
  if [ "${BENCH_INPROCESS:-1}" = 1 ]; then
    start_gateway built-in gateway-inprocess
    LEDGER=http://127.0.0.1:$GATEWAY_PORT
    start_ceiling
    make_org bench-inprocess "$BUILTIN_NUMBER" "$(cat "$WORK/gateway/secrets/sandbox-access-token")" "$LEDGER" \
      "60133$((RANDOM % 90000 + 10000))3"
    for target in ceiling gateway-inprocess; do
      bench_step "$target" 32 "$WARMUP" in-process warmup
      for c in 1 32; do bench_step "$target" "$c" "$DURATION" in-process; done
    done
    stop_ceiling
    stop_gateway
  fi

  if [ "${BENCH_JFR:-0}" = 1 ]; then
    for g in gateway gateway-inprocess; do
      [ ! -f "$OUT/$PASS-$g.jfr" ] || "$PY" bench/steps.py allocation "$STEPS" "$PASS" "$g" "$OUT/$PASS-$g.jfr" ||
        log "[$PASS] no allocation figures from $OUT/$PASS-$g.jfr"
    done
  fi
}

for db in "${DATABASES[@]}"; do
  if [ "$db" = external ] && [ -z "${BENCH_DATABASE_URL:-}" ]; then
    log "an external PostgreSQL (bench/external-postgres.sh)"
    eval "$(bash bench/external-postgres.sh start)"
    EXTERNAL_DIR=$BENCH_PG_DIR
  fi
  ( run_pass "$db" )
done

"$PY" bench/report.py send "$OUT" "bench/results/$STAMP" --quick "$QUICK" --warmup "$WARMUP" --duration "$DURATION"
