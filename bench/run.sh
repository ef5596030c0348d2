#!/usr/bin/env bash
# Send-path benchmark: the gateway's text send against its ceiling and against a direct call, in one run.
#
#   bash bench/run.sh            # warm-up 10 s, then 20 s per step (about 6 minutes)
#   bash bench/run.sh --quick    # warm-up 2 s, 4 s per step (about 2 minutes): does the harness work?
#
# On 127.0.0.1 only, it starts three processes, two from the packaged jar:
#   - the Cloud API sandbox (--sandbox-only), status webhooks off: only the send path is measured;
#   - the gateway at -Xmx256m (RH_RATE_LIMIT_PER_KEY=0, the channel at 1,000 messages/s), on the PostgreSQL of
#     BENCH_DATABASE_URL (a JDBC URL; BENCH_DATABASE_USER, BENCH_DATABASE_PASSWORD) or else its embedded one;
#   - the ceiling (bench.ceiling.CeilingApplication, from the test classpath: it is not in the jar): the same
#     stack answering a POST with one INSERT into the same PostgreSQL.
# and drives each with wrk (bench/post.lua) at 32 and 128 connections: the ceiling, the Graph call straight to
# the sandbox, and the seed's text send through the gateway. Then the sandbox is restarted with 200 ms of
# latency per call (Meta's) and the gateway and the direct call are driven at 512 connections.
# Every count is checked: the gateway's 200s (its own Prometheus counter) must equal the messages the sandbox
# received for the gateway's customer; the 200s wrk saw must lie between the server's count minus the
# requests wrk abandoned when it stopped (at most one per connection) and the server's count.
# Results: bench/results/<time>.json and .md (and the logs in bench/results/<time>/). BENCH_JFR=1 also records
# the gateway with JFR (bench/results/<time>/gateway.jfr). Everything started is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then WARMUP=${BENCH_WARMUP:-2}; DURATION=${BENCH_DURATION:-4}; else WARMUP=${BENCH_WARMUP:-10}; DURATION=${BENCH_DURATION:-20}; fi
CONNECTIONS=(32 128)
SLOW_CONNECTIONS=512
SLOW_LATENCY=200ms
THREADS=2

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
JAR=target/rh-whatsapp-api.jar
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$JAR" ] || ./mvnw -o -q package -DskipTests
# the ceiling: the test classes, the gateway's classes (its application.properties) and the test dependencies
CEILING_CLASSPATH=target/ceiling.classpath
[ -f target/test-classes/com/replyhero/bench/ceiling/CeilingApplication.class ] && [ -f "$CEILING_CLASSPATH" ] ||
  ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$CEILING_CLASSPATH"
CEILING_CP=target/test-classes:target/classes:$(cat "$CEILING_CLASSPATH")

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$STAMP
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/rh-send-bench.XXXXXX)
STEPS=$OUT/steps.jsonl
: > "$STEPS"

SANDBOX_PORT=${SANDBOX_PORT:-19191}
GATEWAY_PORT=${GATEWAY_PORT:-18181}
CEILING_PORT=${CEILING_PORT:-18281}
ADMIN=bench-admin-$RANDOM$RANDOM
TOKEN=bench-sandbox-token-$RANDOM
NUMBER=1$(date +%s%N | tail -c 15)
GATEWAY_PHONE=60111$((RANDOM % 90000 + 10000))1
DIRECT_PHONE=60122$((RANDOM % 90000 + 10000))2
export RH_META_APP_SECRET=bench-secret-$RANDOM
# the database pool of the gateway and of the ceiling alike (RH_DB_POOL_SIZE)
export RH_DB_POOL_SIZE=${BENCH_DB_POOL_SIZE:-${RH_DB_POOL_SIZE:-20}}

PIDS=()
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[$(date -u +%T)] $*" >&2; }

wait_http() { # url seconds
  for _ in $(seq 1 $(( $2 * 4 ))); do curl -fs -o /dev/null "$1" && return 0; sleep 0.25; done
  echo "not up: $1" >&2; exit 1
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

SANDBOX_JFR=()
[ "${BENCH_JFR:-0}" = 1 ] && SANDBOX_JFR=(-XX:StartFlightRecording=filename=$OUT/sandbox.jfr,settings=profile)
start_sandbox() { # extra args...
  "$JAVA" -Xmx512m "${SANDBOX_JFR[@]}" -jar "$JAR" --sandbox-only --server.address=127.0.0.1 --server.port=$SANDBOX_PORT \
    --rh.data-dir="$WORK/sandbox" --rh.sandbox.access-token=$TOKEN --rh.sandbox.status-webhooks=${BENCH_STATUS_WEBHOOKS:-true} "$@" \
    >> "$OUT/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  PIDS+=($SANDBOX_PID)
  wait_http "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" 120
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# --- the sandbox and the gateway
log "sandbox on :$SANDBOX_PORT"
export RH_SANDBOX_WEBHOOK_URL=http://127.0.0.1:$GATEWAY_PORT/webhooks/meta
start_sandbox

DB_ENV=()
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DB_ENV=(SPRING_DATASOURCE_URL="$BENCH_DATABASE_URL" SPRING_DATASOURCE_USERNAME="${BENCH_DATABASE_USER:-postgres}"
          SPRING_DATASOURCE_PASSWORD="${BENCH_DATABASE_PASSWORD:-}")
fi
JFR=()
[ "${BENCH_JFR:-0}" = 1 ] && JFR=(-XX:StartFlightRecording=filename=$OUT/gateway.jfr,settings=profile)
log "gateway on :$GATEWAY_PORT (-Xmx256m)"
env "${DB_ENV[@]}" RH_ADMIN_TOKEN=$ADMIN RH_GRAPH_URL=http://127.0.0.1:$SANDBOX_PORT/sandbox/graph \
  RH_DATA_DIR="$WORK/gateway" RH_RATE_LIMIT_PER_KEY=0 \
  "$JAVA" -Xmx256m "${JFR[@]}" -jar "$JAR" --server.address=127.0.0.1 --server.port=$GATEWAY_PORT \
  --rh.demo.enabled=false > "$OUT/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health" 180

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DATABASE_URL=$BENCH_DATABASE_URL
  DATABASE="local server $BENCH_DATABASE_URL (BENCH_DATABASE_URL)"
  CEILING_DB=(--spring.datasource.url="$BENCH_DATABASE_URL" --spring.datasource.username="${BENCH_DATABASE_USER:-postgres}"
              --spring.datasource.password="${BENCH_DATABASE_PASSWORD:-}")
else
  PG_PORT=$(grep -o 'Embedded PostgreSQL on port [0-9]*' "$OUT/gateway.log" | tail -1 | awk '{print $NF}')
  DATABASE_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
  DATABASE="the gateway's embedded PostgreSQL (zonky, fsync and synchronous_commit on) on port $PG_PORT"
  CEILING_DB=(--spring.datasource.url="$DATABASE_URL" --spring.datasource.username=postgres)
fi
log "PostgreSQL: $DATABASE"

log "ceiling on :$CEILING_PORT (-Xmx256m, same PostgreSQL)"
"$JAVA" -Xmx256m -cp "$CEILING_CP" com.replyhero.bench.ceiling.CeilingApplication --server.address=127.0.0.1 --server.port=$CEILING_PORT "${CEILING_DB[@]}" \
  > "$OUT/ceiling.log" 2>&1 &
CEILING_PID=$!
PIDS+=($CEILING_PID)
wait_http "http://127.0.0.1:$CEILING_PORT/ceiling/messages/count" 120

# --- an org on its own number, a user, the gateway's customer (who writes in), a key
api() { # method path [json]
  curl -fsS -X "$1" "http://127.0.0.1:$GATEWAY_PORT$2" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}
ORG=$(api POST /admin/orgs '{"name":"bench"}' | json "['id']")
api PUT "/admin/orgs/$ORG/channel" \
  "{\"phoneNumberId\":\"$NUMBER\",\"wabaId\":\"2$NUMBER\",\"accessToken\":\"$TOKEN\",\"throughputPerSecond\":1000}" >/dev/null
USER_ID=$(api POST "/admin/orgs/$ORG/users" '{"name":"bench"}' | json "['id']")
CUSTOMER=$(api POST "/admin/orgs/$ORG/customers" "{\"phone\":\"$GATEWAY_PHONE\",\"name\":\"bench\"}" | json "['id']")
KEY=$(api POST "/admin/orgs/$ORG/api-keys" '{"name":"bench"}' | json "['key']")
for phone in $GATEWAY_PHONE $DIRECT_PHONE; do # the 24-hour window opens at the sandbox and in the gateway
  curl -fsS -X POST "http://127.0.0.1:$SANDBOX_PORT/sandbox/customers/$phone/messages" -H 'Content-Type: application/json' \
    --data "{\"text\":\"hi\",\"phoneNumberId\":\"$NUMBER\"}" >/dev/null
done

GATEWAY_BODY="{\"message\":{\"type\":\"text\",\"text\":{\"body\":\"testing msg\"}},\"sessionId\":\"bench\",\"customerId\":\"$CUSTOMER\",\"userId\":\"$USER_ID\",\"orgId\":\"$ORG\"}"
DIRECT_BODY="{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"$DIRECT_PHONE\",\"type\":\"text\",\"text\":{\"body\":\"testing msg\"}}"
GATEWAY_URL=http://127.0.0.1:$GATEWAY_PORT/whatsapp/messages/send
DIRECT_URL=http://127.0.0.1:$SANDBOX_PORT/sandbox/graph/v23.0/$NUMBER/messages
CEILING_URL=http://127.0.0.1:$CEILING_PORT/ceiling/messages

# --- counts on the servers' side
ledger_to() { curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger?to=$1" | json "['acceptedTo']"; }
gateway_metrics() { # the gateway's Prometheus counters: send answers, pool waits and holds, Cloud API calls
  curl -fsS "http://127.0.0.1:$GATEWAY_PORT/actuator/prometheus" | python3 -c '
import json, sys
m = {"ok": 0, "other": 0}
names = {"hikaricp_connections_acquire_seconds": "acquire", "hikaricp_connections_usage_seconds": "usage",
         "rh_cloudapi_requests_seconds": "cloudApi"}
for line in sys.stdin:
    if line.startswith("#"):
        continue
    name, value = line.split("{", 1)[0], float(line.rsplit(" ", 1)[1])
    if name == "http_server_requests_seconds_count" and "uri=\"/whatsapp/messages/send\"" in line:
        m["ok" if "status=\"200\"" in line else "other"] += int(value)
    for prefix, key in names.items():
        if name in (prefix + "_sum", prefix + "_count"):
            m[key + name[len(prefix):]] = m.get(key + name[len(prefix):], 0) + value
print(json.dumps(m))'
}
gateway_answers() { # "200s other" of the send endpoint, from the gateway's Prometheus counter
  gateway_metrics | python3 -c 'import json, sys; m = json.load(sys.stdin); print(m["ok"], m["other"])'
}
server_count() { # target
  case $1 in
    gateway) gateway_answers | awk '{print $1}' ;;
    direct) ledger_to "$DIRECT_PHONE" ;;
    ceiling) curl -fsS "http://127.0.0.1:$CEILING_PORT/ceiling/messages/count" | json "['count']" ;;
  esac
}
# the sandbox's messages for the gateway's customer, to be equal to the gateway's 200s
gateway_check_count() { ledger_to "$GATEWAY_PHONE"; }

cpu_ticks() { # pid: user + system clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
postgres_pids() {
  local pidfile
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    pidfile=$WORK/gateway/postgres/pgdata/postmaster.pid
    [ -f "$pidfile" ] || return 0
    local pm; pm=$(head -1 "$pidfile")
    echo "$pm"; pgrep -P "$pm" || true
  fi
}
postgres_ticks() {
  local sum=0 p
  for p in $(postgres_pids); do sum=$(( sum + $(cpu_ticks "$p" 2>/dev/null || echo 0) )); done
  echo $sum
}
rss_sampler() { # pid file: the peak VmRSS in kB while running
  local peak=0 now
  while true; do
    now=$(awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" > "$2"
    sleep 0.2
  done
}

pid_of() { case $1 in gateway) echo "$GATEWAY_PID" ;; direct) echo "$SANDBOX_PID" ;; ceiling) echo "$CEILING_PID" ;; esac; }

# step target connections seconds scenario [warmup]: drives one target with wrk, checks and records the counts
step() {
  local target=$1 conns=$2 secs=$3 scenario=$4 kind=${5:-measured}
  local url body header pid
  case $target in
    gateway) url=$GATEWAY_URL; body=$GATEWAY_BODY; header="x-api-key: $KEY" ;;
    direct) url=$DIRECT_URL; body=$DIRECT_BODY; header="Authorization: Bearer $TOKEN" ;;
    ceiling) url=$CEILING_URL; body=$GATEWAY_BODY; header= ;;
  esac
  pid=$(pid_of "$target")
  local server_before check_before gw_before pg_before cpu_before
  server_before=$(server_count "$target")
  check_before=$(gateway_check_count)
  gw_before=$(gateway_answers)
  gateway_metrics > "$WORK/metrics.before"
  cpu_before=$(cpu_ticks "$pid"); pg_before=$(postgres_ticks); sb_before=$(cpu_ticks "$SANDBOX_PID")
  echo 0 > "$WORK/rss"
  rss_sampler "$pid" "$WORK/rss" & SAMPLER=$!
  local t0 t1 result
  t0=$(date +%s%N)
  result=$(BENCH_BODY=$body BENCH_HEADER=$header wrk -t$THREADS -c"$conns" -d"${secs}s" --timeout 10s \
    -s bench/post.lua "$url" | tee -a "$OUT/wrk.log" | sed -n 's/^BENCH_RESULT //p')
  t1=$(date +%s%N)
  kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=
  gateway_metrics > "$WORK/metrics.after"
  [ "$(cat "$WORK/rss")" != 0 ] || awk '/VmRSS/{print $2}' "/proc/$pid/status" > "$WORK/rss"
  local cpu_after pg_after
  cpu_after=$(cpu_ticks "$pid"); pg_after=$(postgres_ticks); sb_after=$(cpu_ticks "$SANDBOX_PID")
  # requests wrk abandoned at its end finish on the server: let them
  local server_after check_after gw_after
  for _ in $(seq 1 40); do
    sleep 0.5
    server_after=$(server_count "$target"); check_after=$(gateway_check_count); gw_after=$(gateway_answers)
    [ "$target" != gateway ] || [ "$(( ${gw_after%% *} - ${gw_before%% *} ))" = "$(( check_after - check_before ))" ] && break
  done
  python3 - "$STEPS" <<PY
import json, os, sys
r = json.loads('''$result''')
clk = os.sysconf("SC_CLK_TCK")
wall = ($t1 - $t0) / 1e9
step = {
    "target": "$target", "scenario": "$scenario", "kind": "$kind", "connections": $conns, "seconds": r["seconds"],
    "requests": r["requests"], "ok": r["status"].get("200", 0),
    "errors": r["socketErrors"] + sum(n for s, n in r["status"].items() if s != "200"),
    "statuses": r["status"], "socketErrors": r["socketErrors"],
    "perSecond": r["status"].get("200", 0) / r["seconds"], "latencyMs": r["latencyMs"],
    "serverCpuPercent": 100 * ($cpu_after - $cpu_before) / clk / wall,
    "sandboxCpuPercent": 100 * ($sb_after - $sb_before) / clk / wall,
    "postgresCpuPercent": 100 * ($pg_after - $pg_before) / clk / wall if "${BENCH_DATABASE_URL:-}" == "" else None,
    "serverPeakRssMb": int(open("$WORK/rss").read().strip() or 0) / 1024,
    "serverCount": $server_after - $server_before,
}
gw_ok = int("${gw_after%% *}") - int("${gw_before%% *}")
gw_other = int("${gw_after##* }") - int("${gw_before##* }")
sandbox_for_gateway = $check_after - $check_before
checks = []
if step["target"] == "gateway":
    step["gateway200s"], step["gatewayOtherAnswers"] = gw_ok, gw_other
    # where a send's time goes, from the gateway's own meters over the step
    b, a = json.load(open("$WORK/metrics.before")), json.load(open("$WORK/metrics.after"))
    d = {k: a.get(k, 0) - b.get(k, 0) for k in a}
    sends = max(1, d["ok"] + d["other"])
    step["gatewayProfile"] = {
        "checkoutsPerSend": d.get("acquire_count", 0) / sends,
        "poolWaitMsPerCheckout": 1000 * d.get("acquire_sum", 0) / max(1, d.get("acquire_count", 0)),
        "connectionHeldMsPerCheckout": 1000 * d.get("usage_sum", 0) / max(1, d.get("usage_count", 0)),
        "cloudApiMsPerCall": 1000 * d.get("cloudApi_sum", 0) / max(1, d.get("cloudApi_count", 0)),
    }
    step["sandboxReceivedForGateway"] = sandbox_for_gateway
    checks.append(("the sandbox received exactly the gateway's 200s", sandbox_for_gateway == gw_ok))
else:
    checks.append(("the gateway sent nothing meanwhile", sandbox_for_gateway == 0 and gw_ok == 0))
server = step["serverCount"]
checks.append(("wrk's 200s = the server's count minus at most one abandoned request per connection",
               server - step["connections"] <= step["ok"] <= server))
step["checks"] = {name: ok for name, ok in checks}
step["checked"] = all(ok for _, ok in checks)
with open(sys.argv[1], "a") as f:
    f.write(json.dumps(step) + "\n")
l = step["latencyMs"]
print(f'{step["scenario"]:>14} {step["target"]:>8} {step["connections"]:>4} conn {step["kind"]:>8}: '
      f'{step["perSecond"]:8.0f}/s  p50 {l["p50"]:7.1f} ms  p99 {l["p99"]:7.1f} ms  p99.9 {l["p999"]:7.1f} ms  '
      f'errors {step["errors"]}  cpu {step["serverCpuPercent"]:.0f}% (pg {step["postgresCpuPercent"] or 0:.0f}%, sandbox {step["sandboxCpuPercent"]:.0f}%)  rss {step["serverPeakRssMb"]:.0f} MB  '
      f'counts {"ok" if step["checked"] else "MISMATCH " + json.dumps(step["checks"])}'
      + (" " + json.dumps({k: round(v, 1) for k, v in step["gatewayProfile"].items()}) if "gatewayProfile" in step else ""),
      file=sys.stderr)
PY
}

# --- 1. each target at 32 and 128 connections, with a warm-up
for target in ${BENCH_TARGETS:-ceiling direct gateway}; do # BENCH_TARGETS: a subset, to profile one
  step "$target" 32 "$WARMUP" baseline warmup
  for c in "${CONNECTIONS[@]}"; do step "$target" "$c" "$DURATION" baseline; done
done

# --- 2. a slow upstream: the sandbox again (same state, same port), 200 ms per call
log "sandbox restarted with $SLOW_LATENCY per call"
stop "$SANDBOX_PID"
start_sandbox --rh.sandbox.latency=$SLOW_LATENCY
for target in ${BENCH_SLOW_TARGETS:-direct gateway}; do
  step "$target" "$SLOW_CONNECTIONS" "$WARMUP" slow-upstream warmup
  step "$target" "$SLOW_CONNECTIONS" "$DURATION" slow-upstream
done

GATEWAY_HEAP_ERRORS=$(grep -c 'OutOfMemoryError' "$OUT/gateway.log" || true)
GATEWAY_PEAK_RSS_MB=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$GATEWAY_PID/status")
stop "$GATEWAY_PID"
python3 bench/report.py "$STEPS" "bench/results/$STAMP" \
  --machine "$(uname -n); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores; $(free -g | awk '/Mem:/{print $2}') GiB; $(. /etc/os-release; echo "$PRETTY_NAME"); $("$JAVA" -version 2>&1 | head -1)" \
  --load "$(cut -d' ' -f1-3 /proc/loadavg)" --database "$DATABASE" --quick "$QUICK" \
  --out-of-memory "$GATEWAY_HEAP_ERRORS" --gateway-peak-rss "$GATEWAY_PEAK_RSS_MB" \
  --warmup "$WARMUP" --duration "$DURATION"
