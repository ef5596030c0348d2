# Shared by bench/run.sh and bench/scale.sh (sourced, not run): starting the sandbox, the gateway and the ceiling
# on 127.0.0.1, making an org through the admin API, and one measured step (bench_step) with its counts checked
# and what it cost: CPU and peak memory of every process, WAL and row versions of `messages` per send.
#
# The caller sets OUT (results and logs), WORK (a temporary directory it deletes), STEPS (one JSON line a step),
# PASS (a name for the database, e.g. embedded) and, for an external database, DB_URL, DB_USER, DB_PASSWORD.

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# the system's python when there is one: a version manager's shim costs a shell or two at every call
PY=$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3)
JAVA=$JAVA_HOME/bin/java
JAR=${BENCH_JAR:-target/rh-whatsapp-api.jar}
THREADS=2
# how long after a step's last write (its last status applied) PostgreSQL's table counters are read: a backend with
# counts not yet flushed (it flushes at most once a second, and 10 s after it went idle) has flushed them by then
STATS_SETTLE=${BENCH_STATS_SETTLE:-11}
# how long a step waits for every message it sent to reach `read` (the sandbox's three statuses applied)
STATUS_WAIT=${BENCH_STATUS_WAIT:-60}

PIDS=()
SAMPLER=
SANDBOX_PID=
GATEWAY_PID=
CEILING_PID=
PG_PID=
EMBEDDED_PG_PID=

log() { echo "[$(date -u +%T)] $*" >&2; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { "$PY" -c "import json,sys; print(json.load(sys.stdin)$1)"; }
wait_http() { # url seconds [pid]: up, or fail (at once when the process died)
  for _ in $(seq 1 $(( $2 * 4 ))); do
    curl -fs -o /dev/null "$1" && return 0
    [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || { echo "exited before it answered: $1" >&2; return 1; }
    sleep 0.25
  done
  echo "not up: $1" >&2
  return 1
}
stop_pid() { # pid: SIGTERM, and wait for it
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$1" 2>/dev/null || true
}
bench_cleanup() { # everything this pass started, by PID
  [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  # the embedded PostgreSQL stops with its gateway; should the gateway have died first, it is stopped here
  [ -z "$EMBEDDED_PG_PID" ] || stop_pid "$EMBEDDED_PG_PID"
  return 0
}

SANDBOX_PORT=${SANDBOX_PORT:-$(free_port)}
GATEWAY_PORT=${GATEWAY_PORT:-$(free_port)}
CEILING_PORT=${CEILING_PORT:-$(free_port)}
ADMIN=bench-admin-$RANDOM$RANDOM
TOKEN=bench-sandbox-token-$RANDOM$RANDOM
APP_SECRET=bench-secret-$RANDOM$RANDOM
DB_POOL_SIZE=${BENCH_DB_POOL_SIZE:-${RH_DB_POOL_SIZE:-20}}

# --- processes
start_sandbox() { # extra args...: the sandbox as its own process, posting webhooks to the gateway
  local jfr=()
  [ "${BENCH_JFR:-0}" = 1 ] && jfr=(-XX:StartFlightRecording=filename=$OUT/$PASS-sandbox-$(date +%s).jfr,settings=profile,dumponexit=true)
  RH_META_APP_SECRET=$APP_SECRET RH_SANDBOX_WEBHOOK_URL=http://127.0.0.1:$GATEWAY_PORT/webhooks/meta \
    "$JAVA" -Xmx512m "${jfr[@]}" -jar "$JAR" --sandbox-only --server.address=127.0.0.1 --server.port="$SANDBOX_PORT" \
    --rh.data-dir="$WORK/sandbox" --rh.sandbox.access-token="$TOKEN" \
    --rh.sandbox.status-webhooks="${BENCH_STATUS_WEBHOOKS:-true}" "$@" >> "$OUT/$PASS-sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  PIDS+=("$SANDBOX_PID")
  wait_http "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" 120 "$SANDBOX_PID"
}
stop_sandbox() { stop_pid "$SANDBOX_PID"; SANDBOX_PID=; }

# start_gateway upstream name: the packaged gateway at -Xmx256m on RH_DATA_DIR=$WORK/gateway (the same for every
# start of a pass, so an embedded PostgreSQL keeps its data), on DB_URL or its embedded PostgreSQL.
#   upstream: sandbox (the sandbox process, RH_GRAPH_URL) or built-in (no RH_GRAPH_URL: its own sandbox in-process)
start_gateway() {
  local upstream=$1 name=$2 env=() jfr=()
  GATEWAY_NAME=$name
  if [ -n "${DB_URL:-}" ]; then
    env+=(SPRING_DATASOURCE_URL="$DB_URL" SPRING_DATASOURCE_USERNAME="$DB_USER" SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD")
  fi
  if [ "$upstream" = sandbox ]; then
    env+=(RH_GRAPH_URL="http://127.0.0.1:$SANDBOX_PORT/sandbox/graph" RH_META_APP_SECRET="$APP_SECRET")
  fi
  [ "${BENCH_JFR:-0}" = 1 ] && jfr=(-XX:StartFlightRecording=filename=$OUT/$PASS-$name.jfr,settings=profile,dumponexit=true)
  log "$name on :$GATEWAY_PORT (-Xmx256m, upstream: $upstream)"
  env "${env[@]}" RH_ADMIN_TOKEN="$ADMIN" RH_DATA_DIR="$WORK/gateway" RH_RATE_LIMIT_PER_KEY=0 RH_DB_POOL_SIZE="$DB_POOL_SIZE" \
    "$JAVA" -Xmx256m "${jfr[@]}" -jar "$JAR" --server.address=127.0.0.1 --server.port="$GATEWAY_PORT" \
    --rh.demo.enabled=false > "$OUT/$PASS-$name.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
  wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health" 240 "$GATEWAY_PID"
  find_database
}
stop_gateway() { # records the gateway's OutOfMemoryErrors and its peak RSS (VmHWM) before it stops
  local oom hwm
  oom=$(grep -c 'OutOfMemoryError' "$OUT/$PASS-$GATEWAY_NAME.log" || true)
  hwm=$(awk '/VmHWM/{print int($2 / 1024)}' "/proc/$GATEWAY_PID/status" 2>/dev/null || echo 0)
  echo "{\"pass\": \"$PASS\", \"gateway\": \"$GATEWAY_NAME\", \"outOfMemoryErrors\": $oom, \"peakRssMb\": $hwm}" >> "$OUT/gateways.jsonl"
  stop_pid "$GATEWAY_PID"
  GATEWAY_PID=
  [ -z "$EMBEDDED_PG_PID" ] || { stop_pid "$EMBEDDED_PG_PID"; EMBEDDED_PG_PID=; }
}

# the database the gateway runs on: where psql reaches it and its postmaster's PID
find_database() {
  if [ -n "${DB_URL:-}" ]; then
    PG_JDBC=$DB_URL; PG_USER=$DB_USER; PG_PASSWORD=$DB_PASSWORD
  else
    local port
    port=$(grep -o 'Embedded PostgreSQL on port [0-9]*' "$OUT/$PASS-$GATEWAY_NAME.log" | tail -1 | awk '{print $NF}')
    PG_JDBC=jdbc:postgresql://127.0.0.1:$port/postgres; PG_USER=postgres; PG_PASSWORD=
  fi
  PG_PORT=$(echo "$PG_JDBC" | sed -E 's#^jdbc:postgresql://[^:/]+:([0-9]+)/.*#\1#')
  PG_DB=$(echo "$PG_JDBC" | sed -E 's#^jdbc:postgresql://[^/]+/([^?]+).*#\1#')
  local data
  data=$(pg -c 'SHOW data_directory')
  PG_PID=$(head -1 "$data/postmaster.pid")
  [ -n "${DB_URL:-}" ] || EMBEDDED_PG_PID=$PG_PID
  PG_VERSION=$(pg -c 'SHOW server_version')
  # the indexes of messages and their predicates: a row version is written to every index whose predicate its
  # row matches (all of them for a non-partial index)
  pg -c "SELECT json_agg(json_build_object('name', c.relname, 'predicate', pg_get_expr(i.indpred, i.indrelid),
                 'definition', pg_get_indexdef(i.indexrelid)) ORDER BY c.relname)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = 'public.messages'::regclass" > "$WORK/indexes.json"
  INDEX_MATCHES=$("$PY" bench/steps.py index-matches "$WORK/indexes.json")
}
pg() { # psql on the gateway's database: one value a line
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qAtX -v ON_ERROR_STOP=1 "$@"
}

start_ceiling() {
  local cp=target/test-classes:target/classes:$(cat target/ceiling.classpath)
  log "ceiling on :$CEILING_PORT (-Xmx256m, the same PostgreSQL)"
  "$JAVA" -Xmx256m -cp "$cp" com.replyhero.bench.ceiling.CeilingApplication --server.address=127.0.0.1 \
    --server.port="$CEILING_PORT" --spring.datasource.url="$PG_JDBC" --spring.datasource.username="$PG_USER" \
    --spring.datasource.password="$PG_PASSWORD" --spring.datasource.hikari.maximum-pool-size="$DB_POOL_SIZE" \
    >> "$OUT/$PASS-ceiling.log" 2>&1 &
  CEILING_PID=$!
  PIDS+=("$CEILING_PID")
  wait_http "http://127.0.0.1:$CEILING_PORT/ceiling/messages/count" 120 "$CEILING_PID"
}
stop_ceiling() { stop_pid "$CEILING_PID"; CEILING_PID=; }
build_ceiling_classpath() {
  [ -f target/test-classes/com/replyhero/bench/ceiling/CeilingApplication.class ] && [ -f target/ceiling.classpath ] ||
    ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/ceiling.classpath"
}

# --- an org through the admin API
api() { # method path [json]
  curl -fsS -X "$1" "http://127.0.0.1:$GATEWAY_PORT$2" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}
# make_org name phone-number-id token sandbox-base customer-phone: sets ORG, USER_ID, CUSTOMER, KEY, CUSTOMER_PHONE;
# the customer writes in through that sandbox, so the 24-hour window is open at the sandbox and in the gateway
make_org() {
  ORG=$(api POST /admin/orgs "{\"name\":\"$1\"}" | json "['id']")
  api PUT "/admin/orgs/$ORG/channel" \
    "{\"phoneNumberId\":\"$2\",\"wabaId\":\"2$2\",\"accessToken\":\"$3\",\"throughputPerSecond\":1000}" >/dev/null
  USER_ID=$(api POST "/admin/orgs/$ORG/users" '{"name":"bench"}' | json "['id']")
  CUSTOMER_PHONE=$5
  CUSTOMER=$(api POST "/admin/orgs/$ORG/customers" "{\"phone\":\"$5\",\"name\":\"bench\"}" | json "['id']")
  KEY=$(api POST "/admin/orgs/$ORG/api-keys" '{"name":"bench"}' | json "['key']")
  write_in "$4" "$5" "$2"
  for _ in $(seq 1 40); do # the inbound webhook is applied: the window is open in the gateway
    [ "$(pg -c "SELECT count(*) FROM customers WHERE org_id = '$ORG' AND last_inbound_at IS NOT NULL")" = 1 ] && break
    sleep 0.25
  done
  GATEWAY_BODY="{\"message\":{\"type\":\"text\",\"text\":{\"body\":\"testing msg\"}},\"sessionId\":\"bench\",\"customerId\":\"$CUSTOMER\",\"userId\":\"$USER_ID\",\"orgId\":\"$ORG\"}"
}
write_in() { # sandbox-base phone phone-number-id
  curl -fsS -X POST "$1/sandbox/customers/$2/messages" -H 'Content-Type: application/json' \
    --data "{\"text\":\"hi\",\"phoneNumberId\":\"$3\"}" >/dev/null
}

# --- counts on the servers' side
# LEDGER: the sandbox the gateway sends to (its own port, or the gateway's when the sandbox is built in)
ledger_to() { curl -fsS "$LEDGER/sandbox/ledger?to=$1" | json "['acceptedTo']"; }
gateway_metrics() { # the gateway's Prometheus counters: answers of the send and history endpoints, pool, Cloud API
  [ -n "$GATEWAY_PID" ] || { echo '{}'; return; }
  curl -fsS "http://127.0.0.1:$GATEWAY_PORT/actuator/prometheus" | "$PY" -c '
import json, sys
m = {"ok": 0, "other": 0, "historyOk": 0, "historyOther": 0}
names = {"hikaricp_connections_acquire_seconds": "acquire", "hikaricp_connections_usage_seconds": "usage",
         "rh_cloudapi_requests_seconds": "cloudApi"}
for line in sys.stdin:
    if line.startswith("#"):
        continue
    name, value = line.split("{", 1)[0], float(line.rsplit(" ", 1)[1])
    if name == "http_server_requests_seconds_count":
        ok = "status=\"200\"" in line
        if "uri=\"/whatsapp/messages/send\"" in line:
            m["ok" if ok else "other"] += int(value)
        elif "uri=\"/whatsapp/messages\"" in line:
            m["historyOk" if ok else "historyOther"] += int(value)
    for prefix, key in names.items():
        if name in (prefix + "_sum", prefix + "_count"):
            m[key + name[len(prefix):]] = m.get(key + name[len(prefix):], 0) + value
print(json.dumps(m))'
}
server_count() { # target: what the target's server counted
  case $1 in
    gateway*) gateway_metrics | json "['ok']" ;;
    history*) gateway_metrics | json "['historyOk']" ;;
    direct) ledger_to "$DIRECT_PHONE" ;;
    ceiling) curl -fsS "http://127.0.0.1:$CEILING_PORT/ceiling/messages/count" | json "['count']" ;;
  esac
}
counts() { # JSON: the target's server count, the sandbox's count for the gateway's customer, the gateway's meters
  local target=$1 gw sandbox=0
  gw=$(gateway_metrics)
  [ -z "$GATEWAY_PID" ] || sandbox=$(ledger_to "$CUSTOMER_PHONE")
  echo "{\"server\": $(server_count "$target"), \"sandboxForGateway\": $sandbox, \"gateway\": $gw}"
}
pg_snapshot() { # JSON: the WAL position, the database's clock and the row counters of messages
  pg -c "SELECT json_build_object('lsn', pg_current_wal_lsn()::text, 'at', clock_timestamp(),
                 'inserts', coalesce(s.n_tup_ins, 0), 'updates', coalesce(s.n_tup_upd, 0),
                 'hotUpdates', coalesce(s.n_tup_hot_upd, 0), 'deletes', coalesce(s.n_tup_del, 0))
           FROM (SELECT 1) one LEFT JOIN pg_stat_user_tables s ON s.relid = to_regclass('public.messages')"
}
target_vars() { # target: URL METHOD BODY HEADER TARGET_PID
  METHOD=POST
  case $1 in
    gateway*) URL=http://127.0.0.1:$GATEWAY_PORT/whatsapp/messages/send; BODY=$GATEWAY_BODY; HEADER="x-api-key: $KEY"
              TARGET_PID=$GATEWAY_PID ;;
    history*) URL="http://127.0.0.1:$GATEWAY_PORT/whatsapp/messages?customerId=$HISTORY_CUSTOMER&limit=50"; METHOD=GET
             BODY=; HEADER="x-api-key: $HISTORY_KEY"; TARGET_PID=$GATEWAY_PID ;;
    direct) URL=http://127.0.0.1:$SANDBOX_PORT/sandbox/graph/v23.0/$NUMBER/messages; BODY=$DIRECT_BODY
            HEADER="Authorization: Bearer $TOKEN"; TARGET_PID=$SANDBOX_PID ;;
    ceiling) URL=http://127.0.0.1:$CEILING_PORT/ceiling/messages; BODY=$GATEWAY_BODY; HEADER=; TARGET_PID=$CEILING_PID ;;
  esac
}

# bench_step target connections seconds scenario [kind]: drives one target with wrk (bench/post.lua), then checks
# the counts and, for a send through the gateway, that every message it sent reached `read`; appends the step to
# $STEPS and prints it.   target: ceiling | direct | gateway | gateway-inprocess | history | history-seeded
bench_step() {
  local target=$1 conns=$2 secs=$3 scenario=$4 kind=${5:-measured}
  local d=$WORK/step threads=$THREADS t0 t1
  rm -rf "$d"; mkdir -p "$d"
  target_vars "$target"
  [ "$conns" -ge "$threads" ] || threads=$conns
  counts "$target" > "$d/counts.before"
  pg_snapshot > "$d/pg.before"
  "$PY" bench/sampler.py "$d/sampler.json" gateway="$GATEWAY_PID" sandbox="$SANDBOX_PID" ceiling="$CEILING_PID" \
    postgres="pg:$PG_PID" & SAMPLER=$!
  for _ in $(seq 1 200); do [ ! -f "$d/sampler.json.ready" ] || break; sleep 0.05; done
  t0=$(date +%s%N)
  BENCH_METHOD=$METHOD BENCH_BODY=$BODY BENCH_HEADER=$HEADER wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s bench/post.lua "$URL" | tee -a "$OUT/wrk.log" | sed -n 's/^BENCH_RESULT //p' > "$d/wrk.json"
  t1=$(date +%s%N)
  kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=
  # the requests wrk abandoned at its end finish on the server; the sandbox's count catches up with the gateway's
  for _ in $(seq 1 40); do
    sleep 0.5
    counts "$target" > "$d/counts.after"
    "$PY" bench/steps.py settled "$d" "$target" && break
  done
  if [[ $target == gateway* ]]; then # every message the step sent reaches read: its three statuses applied
    local at0 waited=0
    at0=$(json "['at']" < "$d/pg.before")
    while true; do
      pg -c "SELECT json_build_object('rows', count(*), 'notRead', count(*) FILTER (WHERE status <> 'read'),
                     'statuses', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM messages
                        WHERE org_id = '$ORG' AND message_type <> 'user' AND created_at >= '$at0' GROUP BY status) s),
                     'indexEntriesPerVersion', avg($INDEX_MATCHES), 'waitedSeconds', $waited)
               FROM messages WHERE org_id = '$ORG' AND message_type <> 'user' AND created_at >= '$at0'" > "$d/statuses.json"
      [ "$(json "['notRead']" < "$d/statuses.json")" = 0 ] || [ "$waited" -ge "$STATUS_WAIT" ] && break
      sleep 1; waited=$(( waited + 1 ))
    done
    counts "$target" > "$d/counts.after" # a message the gateway queued (202) has been sent since
    # PostgreSQL's counters of the step's writes to messages are flushed STATS_SETTLE s after the last of them
    # (the other targets write no messages; their WAL position needs no wait)
    sleep "$STATS_SETTLE"
  fi
  pg_snapshot > "$d/pg.after"
  "$PY" bench/steps.py record "$d" "$STEPS" --pass "$PASS" --target "$target" --connections "$conns" \
    --scenario "$scenario" --kind "$kind" --t0 "$t0" --t1 "$t1"
}
