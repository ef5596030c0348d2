#!/usr/bin/env bash
# Broadcast benchmark: a template to N customers of one org, through the packaged gateway and a separate
# sandbox process (the upstream), both on 127.0.0.1.
#   1. unthrottled (pacing off): creation time of the broadcast, recipients/s, the gateway's peak RSS;
#   2. paced at 80/s and 3. paced at 1,000/s: the achieved rate at the sandbox (within 3 % of the limit?)
#      and the most messages in any 1-second window (never above the limit?).
# Bounded in time; stops what it started by PID. Needs curl, python3 and psql (customers are inserted in SQL).
#   bash bench/broadcast.sh [recipients=100000] [paced-seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${1:-100000}
PACED_SECONDS=${2:-20}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/rh-whatsapp-api.jar
[ -f "$JAR" ] || JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ./mvnw -o -q package -DskipTests
WORK=$(mktemp -d /tmp/rh-broadcast-bench.XXXXXX)
SANDBOX_PORT=${SANDBOX_PORT:-19091}
GATEWAY_PORT=${GATEWAY_PORT:-18081}
ADMIN=bench-admin-$RANDOM$RANDOM
TOKEN=bench-sandbox-token
export RH_META_APP_SECRET=bench-secret
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
log() { echo "[$(date -u +%T)] $*"; }

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 4 ))); do curl -fs -o /dev/null "$1" && return 0; sleep 0.25; done
  echo "not up: $1" >&2; exit 1
}

"$JAVA" -Xmx256m -jar "$JAR" --sandbox-only --server.port=$SANDBOX_PORT --rh.data-dir="$WORK/sandbox" \
  --rh.sandbox.access-token=$TOKEN --rh.sandbox.status-webhooks=false > "$WORK/sandbox.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" 120

start_gateway() { # extra args...
  RH_ADMIN_TOKEN=$ADMIN RH_GRAPH_URL=http://127.0.0.1:$SANDBOX_PORT/sandbox/graph RH_DATA_DIR="$WORK/gateway" \
    "$JAVA" -Xmx256m -jar "$JAR" --server.port=$GATEWAY_PORT --rh.demo.enabled=false "$@" \
    >> "$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health" 180
}
stop_gateway() { kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; }

api() { # method path [json]
  curl -fsS -X "$1" "http://127.0.0.1:$GATEWAY_PORT$2" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
pg_port() { grep -o 'Embedded PostgreSQL on port [0-9]*' "$WORK/gateway.log" | tail -1 | awk '{print $NF}'; }

# An org on its own sandbox number at a throughput, with N customers; prints "orgId userId key phoneNumberId".
an_org() { # throughput customers
  local org user key number
  org=$(api POST /admin/orgs '{"name":"bench"}' | json "['id']")
  number=1$(date +%s%N | tail -c 15)
  api PUT "/admin/orgs/$org/channel" \
    "{\"phoneNumberId\":\"$number\",\"wabaId\":\"2$number\",\"accessToken\":\"$TOKEN\",\"throughputPerSecond\":$1}" >/dev/null
  user=$(api POST "/admin/orgs/$org/users" '{"name":"bench"}' | json "['id']")
  key=$(api POST "/admin/orgs/$org/api-keys" '{"name":"bench"}' | json "['key']")
  psql -q -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -c \
    "INSERT INTO customers (org_id, id, phone) SELECT '$org', 'c' || g, (600000000000 + g)::text FROM generate_series(1, $2) g" >/dev/null
  echo "$org $user $key $number"
}

broadcast() { # org user key -> prints the broadcast path; the send's wall time goes to $WORK/create.ms
  local t0 t1 location
  t0=$(date +%s%N)
  location=$(curl -fsS -o /dev/null -D - "http://127.0.0.1:$GATEWAY_PORT/whatsapp/template/send" \
    -H "X-API-KEY: $3" -H 'Content-Type: application/json' -H 'Prefer: respond-async' \
    --data "{\"templateName\":\"hello_world\",\"sessionId\":\"bench\",\"orgId\":\"$1\",\"userId\":\"$2\",\"components\":[]}" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 )) > "$WORK/create.ms"
  echo "$location"
}

await_completed() { # key path seconds
  for _ in $(seq 1 $(( $3 * 2 ))); do
    status=$(curl -fsS "http://127.0.0.1:$GATEWAY_PORT$2" -H "X-API-KEY: $1" | json "['status']")
    [ "$status" = completed ] && return 0
    sleep 0.5
  done
  echo "broadcast $2 not completed within $3 s" >&2; exit 1
}

peak_rss_mb() { awk '/VmHWM/{print int($2/1024)}' "/proc/$GATEWAY_PID/status"; }

# 1. unthrottled
log "gateway with pacing off; $RECIPIENTS customers"
start_gateway --rh.broadcasts.pacing=false
read -r ORG USER KEY NUMBER <<< "$(an_org 1000 "$RECIPIENTS")"
before=$(curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" | json "['accepted']")
t0=$(date +%s%N)
B=$(broadcast "$ORG" "$USER" "$KEY")
await_completed "$KEY" "$B" 900
t1=$(date +%s%N)
after=$(curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" | json "['accepted']")
secs=$(python3 -c "print(($t1-$t0)/1e9)")
log "unthrottled: $((after - before)) accepted by the sandbox in ${secs}s = $(python3 -c "print(round($((after - before))/$secs))") recipients/s;" \
  "broadcast created (202) in $(cat "$WORK/create.ms") ms; gateway peak RSS $(peak_rss_mb) MB (-Xmx256m)"
curl -fsS "http://127.0.0.1:$GATEWAY_PORT$B" -H "X-API-KEY: $KEY"; echo
stop_gateway

# 2, 3. paced
start_gateway
for RATE in 80 1000; do
  N=$(( RATE * PACED_SECONDS ))
  read -r ORG USER KEY NUMBER <<< "$(an_org "$RATE" "$N")"
  B=$(broadcast "$ORG" "$USER" "$KEY")
  await_completed "$KEY" "$B" $(( PACED_SECONDS * 4 + 60 ))
  curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger/recipients?phoneNumberId=$NUMBER" > "$WORK/paced-$RATE.json"
  python3 - "$WORK/paced-$RATE.json" "$RATE" <<'PY'
import json, sys
counts = {int(k): v for k, v in json.load(open(sys.argv[1]))["acceptedPer100ms"].items()}
rate = int(sys.argv[2])
first, last = min(counts), max(counts)
series = [counts.get(t, 0) for t in range(first, last + 1)]
n = sum(series)
# the average over the whole run, from the first tenth to the last (both partial: +/- one tenth)
achieved = n / ((last - first + 1) / 10)
window = max(sum(series[i:i + 10]) for i in range(max(1, len(series) - 9)))
print(f"paced at {rate}/s: {n} messages, achieved {achieved:.1f}/s ({100 * (achieved - rate) / rate:+.2f} %),"
      f" most in any 1 s window (100 ms steps): {window} ({'above' if window > rate else 'not above'} the limit)")
PY
done
stop_gateway
log "done; logs in $WORK"
