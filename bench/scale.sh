#!/usr/bin/env bash
# Flat as the data grows: the single send (32 connections) and a customer's last 50 messages (GET
# /whatsapp/messages?customerId=&limit=50, at 1 and 32 connections) on an empty table, then the same after
# SCALE_MESSAGES messages across SCALE_ORGS orgs were seeded in SQL (bench/scale-seed.sql), in one run; it ends with
# MET / NOT MET: the send within 10 % of the empty table's, the history's p99 at most 20 ms.
#
#   bash bench/scale.sh            # 10,000,000 messages, warm-up 10 s, 20 s per step
#   bash bench/scale.sh --quick    # 1,000,000 messages, warm-up 2 s, 4 s per step
#   SCALE_MESSAGES=3000000 BENCH_POSTGRES=external bash bench/scale.sh
#
# The database is the gateway's embedded PostgreSQL (BENCH_POSTGRES=embedded, the default) or an external one
# (BENCH_POSTGRES=external: BENCH_DATABASE_URL, or a cluster bench/external-postgres.sh starts and deletes). The
# sandbox runs as its own process with its status webhooks on, as in bench/run.sh, and the gateway at -Xmx256m. The
# bench org, made through the admin API before the seed, is one of the seeded orgs: the same org and customer are
# measured before and after. After the seed it also reads the history of the bench org's seeded customer with the
# most messages. Every step records what bench/run.sh records (CPU, memory, WAL and index writes per send).
# It checks the free disk first (about 2 KB a message: the table, its indexes and the WAL). Results:
# bench/results/<time>-scale.json and .md, logs in bench/results/<time>-scale/.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then WARMUP=${BENCH_WARMUP:-2}; DURATION=${BENCH_DURATION:-4}; MESSAGES=${SCALE_MESSAGES:-1000000}
else WARMUP=${BENCH_WARMUP:-10}; DURATION=${BENCH_DURATION:-20}; MESSAGES=${SCALE_MESSAGES:-10000000}; fi
ORGS=${SCALE_ORGS:-1000}
CUSTOMERS=${SCALE_CUSTOMERS_PER_ORG:-500}
USERS=${SCALE_USERS_PER_ORG:-5}
CHUNK=${SCALE_CHUNK:-100000}
PASS=${BENCH_POSTGRES:-$([ -n "${BENCH_DATABASE_URL:-}" ] && echo external || echo embedded)}
case $PASS in embedded | external) ;; *) echo "BENCH_POSTGRES: embedded or external" >&2; exit 2 ;; esac

command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
command -v psql >/dev/null || { echo "needs psql (apt-get install -y postgresql-client)" >&2; exit 1; }

# the data goes under /tmp (the embedded database in the run's temporary directory, an external cluster beside it)
NEED_KB=$(( MESSAGES * 2 ))
AVAIL_KB=$(df -Pk /tmp | awk 'NR == 2 {print $4}')
DISK_BEFORE=$(df -h /tmp | awk 'NR == 2 {print $4 " free of " $2 " on " $6}')
echo "disk: $DISK_BEFORE; $MESSAGES messages need about $(( NEED_KB / 1024 / 1024 )) GB" >&2
[ "$AVAIL_KB" -gt "$NEED_KB" ] || { echo "not enough free disk under /tmp for $MESSAGES messages" >&2; exit 1; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)-scale
OUT=bench/results/$STAMP
mkdir -p "$OUT"
WORK_ROOT=$(mktemp -d /tmp/rh-scale-bench.XXXXXX)
WORK=$WORK_ROOT/$PASS
mkdir -p "$WORK"
STEPS=$OUT/steps.jsonl
: > "$STEPS"
# shellcheck source=bench/lib.sh
. bench/lib.sh
[ -f "$JAR" ] || ./mvnw -q package -DskipTests

EXTERNAL_DIR=
finish() {
  bench_cleanup
  [ -z "$EXTERNAL_DIR" ] || bash bench/external-postgres.sh stop "$EXTERNAL_DIR"
  rm -rf "$WORK_ROOT"
}
trap finish EXIT

DB_URL=
if [ "$PASS" = external ]; then
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    log "an external PostgreSQL (bench/external-postgres.sh)"
    eval "$(bash bench/external-postgres.sh start)"
    EXTERNAL_DIR=$BENCH_PG_DIR
  fi
  DB_URL=$BENCH_DATABASE_URL; DB_USER=${BENCH_DATABASE_USER:-postgres}; DB_PASSWORD=${BENCH_DATABASE_PASSWORD:-}
fi
NUMBER=1$(date +%s%N | tail -c 15)

log "[$PASS] sandbox on :$SANDBOX_PORT"
start_sandbox
LEDGER=http://127.0.0.1:$SANDBOX_PORT
start_gateway sandbox gateway
if [ -n "$DB_URL" ]; then database="external PostgreSQL $PG_VERSION, $DB_URL"
else database="the gateway's embedded PostgreSQL $PG_VERSION (zonky; fsync and synchronous_commit on) on port $PG_PORT"; fi
log "[$PASS] PostgreSQL: $database"
"$PY" -c 'import json, sys; print(json.dumps({"pass": sys.argv[1], "database": sys.argv[2],
  "postgresVersion": sys.argv[3], "messagesIndexes": json.load(open(sys.argv[4]))}))' \
  "$PASS" "$database" "$PG_VERSION" "$WORK/indexes.json" >> "$OUT/passes.jsonl"
make_org bench "$NUMBER" "$TOKEN" "$LEDGER" "60111$((RANDOM % 90000 + 10000))1"
HISTORY_CUSTOMER=$CUSTOMER
HISTORY_KEY=$KEY

measure() { # scenario: the send at 32 connections, the bench customer's history at 1 and 32
  bench_step gateway 32 "$WARMUP" "$1" warmup
  bench_step gateway 32 "$DURATION" "$1"
  bench_step history 32 "$WARMUP" "$1" warmup
  bench_step history 1 "$DURATION" "$1"
  bench_step history 32 "$DURATION" "$1"
}

# --- 1. the empty table (the bench org's own messages only)
measure empty

# --- 2. the seed
log "[$PASS] seeding $MESSAGES messages across $ORGS orgs ($CUSTOMERS customers and $USERS users an org)"
seed_start=$(date +%s)
pg -q -v messages="$MESSAGES" -v orgs="$ORGS" -v customers="$CUSTOMERS" -v users="$USERS" -v days=30 \
  -v chunk="$CHUNK" -v bench_org="$ORG" -f bench/scale-seed.sql 2>&1 | grep --line-buffered -v '^ *[0-9]* *|' | sed -u 's/^psql:[^ ]* NOTICE: */  /' >&2
seeded=$(date +%s)
log "[$PASS] seeded in $(( seeded - seed_start )) s; VACUUM ANALYZE, CHECKPOINT"
pg -c "SET maintenance_work_mem = '1GB'" -c 'VACUUM (ANALYZE) messages' -c 'VACUUM (ANALYZE) customers' -c 'CHECKPOINT'
vacuumed=$(date +%s)
"$PY" -c 'import json, sys
keys = ["messages", "orgs", "customersPerOrg", "usersPerOrg", "seedSeconds", "vacuumSeconds", "messagesSize",
        "databaseSize", "diskBefore", "diskAfter"]
v = dict(zip(keys, sys.argv[1:]))
for k in keys[:6]:
    v[k] = int(v[k])
v["customers"], v["users"] = v["orgs"] * v["customersPerOrg"], v["orgs"] * v["usersPerOrg"]
v["seconds"] = v["seedSeconds"] + v["vacuumSeconds"]
print(json.dumps(v))' "$MESSAGES" "$ORGS" "$CUSTOMERS" "$USERS" "$(( seeded - seed_start ))" "$(( vacuumed - seeded ))" \
  "$(pg -c "SELECT pg_size_pretty(pg_total_relation_size('messages'))")" \
  "$(pg -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')" "$DISK_BEFORE" \
  "$(df -h /tmp | awk 'NR == 2 {print $4 " free"}')" > "$OUT/seed.json"
log "[$PASS] $(cat "$OUT/seed.json")"

# --- 3. the seeded table: the same measurements, then a seeded customer's history
measure seeded
HISTORY_CUSTOMER=$(pg -c "SELECT customer_id FROM messages WHERE org_id = '$ORG' AND customer_id <> '$CUSTOMER'
                          GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1")
log "[$PASS] the seeded customer $HISTORY_CUSTOMER has $(pg -c "SELECT count(*) FROM messages WHERE org_id = '$ORG' AND customer_id = '$HISTORY_CUSTOMER'") messages"
bench_step history-seeded 32 "$WARMUP" seeded warmup
bench_step history-seeded 1 "$DURATION" seeded
bench_step history-seeded 32 "$DURATION" seeded

stop_gateway
"$PY" bench/report.py scale "$OUT" "bench/results/$STAMP" --quick "$QUICK" --warmup "$WARMUP" --duration "$DURATION"
