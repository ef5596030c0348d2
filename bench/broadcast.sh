#!/usr/bin/env bash
# Broadcast benchmark, end to end: a template to N customers of one org, through the packaged gateway and a separate
# sandbox process (the upstream, with its status webhooks on: sent, delivered and read for every message, batched as
# Meta batches them), both on 127.0.0.1.
#   1. unpaced (rh.broadcasts.pacing=false): recipients/s accepted by the sandbox (its receive times), and the time
#      from the last send until every recipient is `read` in the gateway's database;
#   2. paced at 80/s and 3. paced at 1,000/s: the achieved rate at the sandbox (within 3 % of the channel's rate?),
#      the most messages in any 1-second window (never above it?), and during 3. the p99 of another org's single
#      sends against their p99 alone.
# Per step: the gateway's and PostgreSQL's (and the sandbox's) CPU seconds and peak memory. Results as JSON in
# bench/results/broadcast-<time>.json, logs (and JFR recordings with BENCH_JFR=1) in bench/results/broadcast-<time>/.
# Bounded in time; stops what it started by PID. Needs curl, python3, psql and wrk.
#   bash bench/broadcast.sh [recipients=100000] [paced-seconds=20]
#   BENCH_STEPS="unpaced"        only the unpaced broadcast (default "unpaced paced")
#   BENCH_JFR=1                  record the gateway and the sandbox with JFR (settings=profile)
#   BENCH_P99_FACTOR, BENCH_P99_MS   the single sends' bound: p99 beside the broadcast at most FACTOR x their p99
#                                alone, or at most MS milliseconds, whichever is larger (1.5 and 50)
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${1:-100000}
PACED_SECONDS=${2:-20}
STEPS=${BENCH_STEPS:-unpaced paced}
P99_FACTOR=${BENCH_P99_FACTOR:-1.5}
P99_MS=${BENCH_P99_MS:-50}
SINGLE_CONNECTIONS=${BENCH_SINGLE_CONNECTIONS:-4}
SINGLE_DELAY_MS=${BENCH_SINGLE_DELAY_MS:-20} # per connection between requests: at most ~170 sends/s at 4 connections
STATUS_WAIT=${BENCH_STATUS_WAIT:-300}       # longest wait for the statuses after the last send, seconds
[ "$PACED_SECONDS" -ge 10 ] || { echo "paced-seconds must be at least 10" >&2; exit 2; }
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=${BENCH_JAR:-target/rh-whatsapp-api.jar} # BENCH_JAR: another build to compare
[ -f "$JAR" ] || JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ./mvnw -q package -DskipTests
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/broadcast-$STAMP
RESULT=bench/results/broadcast-$STAMP.json
mkdir -p "$OUT/steps"
WORK=$(mktemp -d /tmp/rh-broadcast-bench.XXXXXX)
SANDBOX_PORT=${SANDBOX_PORT:-19091}
GATEWAY_PORT=${GATEWAY_PORT:-18081}
ADMIN=bench-admin-$RANDOM$RANDOM
TOKEN=bench-sandbox-token
export RH_META_APP_SECRET=bench-secret
export RH_SANDBOX_WEBHOOK_URL=http://127.0.0.1:$GATEWAY_PORT/webhooks/meta
PIDS=()
SAMPLER_PID=
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
log() { echo "[$(date -u +%T)] $*"; }
now_ms() { date +%s%3N; }

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 4 ))); do curl -fs -o /dev/null "$1" && return 0; sleep 0.25; done
  echo "not up: $1" >&2; exit 1
}

SANDBOX_JFR=()
[ "${BENCH_JFR:-0}" = 1 ] && SANDBOX_JFR=(-XX:StartFlightRecording=filename=$OUT/sandbox.jfr,settings=profile)
"$JAVA" -Xmx512m "${SANDBOX_JFR[@]}" -jar "$JAR" --sandbox-only --server.address=127.0.0.1 --server.port=$SANDBOX_PORT \
  --rh.data-dir="$WORK/sandbox" --rh.sandbox.access-token=$TOKEN --rh.sandbox.status-webhooks=true \
  > "$OUT/sandbox.log" 2>&1 &
SANDBOX_PID=$!
PIDS+=($SANDBOX_PID)
wait_http "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger" 120

GATEWAY_STARTS=0
start_gateway() { # extra args...
  local jfr=()
  GATEWAY_STARTS=$(( GATEWAY_STARTS + 1 ))
  [ "${BENCH_JFR:-0}" = 1 ] && jfr=(-XX:StartFlightRecording=filename=$OUT/gateway-$GATEWAY_STARTS.jfr,settings=profile)
  RH_ADMIN_TOKEN=$ADMIN RH_GRAPH_URL=http://127.0.0.1:$SANDBOX_PORT/sandbox/graph RH_DATA_DIR="$WORK/gateway" \
    RH_RATE_LIMIT_PER_KEY=0 "$JAVA" -Xmx256m "${jfr[@]}" -jar "$JAR" --server.address=127.0.0.1 \
    --server.port=$GATEWAY_PORT --rh.demo.enabled=false "$@" >> "$OUT/gateway.log" 2>&1 &
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
pg_port() { grep -o 'Embedded PostgreSQL on port [0-9]*' "$OUT/gateway.log" | tail -1 | awk '{print $NF}'; }
sql() { psql -qAtX -F ' ' -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -c "$1"; }

# --- CPU and memory of the gateway, PostgreSQL and the sandbox, per step
postmaster() { head -1 "$WORK/gateway/postgres/pgdata/postmaster.pid"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # the postmaster, its live children, and (cutime, cstime) the children it reaped
  local pm sum p
  pm=$(postmaster)
  sum=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for p in $(pgrep -P "$pm" || true); do sum=$(( sum + $(cpu_ticks "$p") )); done
  echo "$sum"
}
sampler() { # gateway-pid postmaster-pid dir: peak VmRSS of the gateway, peak PSS summed over PostgreSQL's processes (kB)
  local gw=0 pg=0 now p
  while true; do
    now=$(awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$gw" ] && gw=$now && echo "$gw" > "$3/gateway.rss"
    now=0
    for p in "$2" $(pgrep -P "$2" || true); do
      now=$(( now + $(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    [ "$now" -gt "$pg" ] && pg=$now && echo "$pg" > "$3/postgres.pss"
    sleep 0.5
  done
}
step_begin() { # name
  STEP=$1
  mkdir -p "$WORK/$STEP"; echo 0 > "$WORK/$STEP/gateway.rss"; echo 0 > "$WORK/$STEP/postgres.pss"
  STEP_GW=$(cpu_ticks "$GATEWAY_PID"); STEP_PG=$(pg_ticks); STEP_SB=$(cpu_ticks "$SANDBOX_PID"); STEP_T0=$(now_ms)
  STEP_METRICS=$(gateway_metrics)
  sampler "$GATEWAY_PID" "$(postmaster)" "$WORK/$STEP" &
  SAMPLER_PID=$!
}
step_end() { # extra JSON fields (a python dict literal's items) -> $OUT/steps/<name>.json
  local gw pg sb t1 metrics
  gw=$(cpu_ticks "$GATEWAY_PID"); pg=$(pg_ticks); sb=$(cpu_ticks "$SANDBOX_PID"); t1=$(now_ms)
  metrics=$(gateway_metrics)
  kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
  python3 - "$OUT/steps/$STEP.json" <<PY
import json, os, sys
clk = os.sysconf("SC_CLK_TCK")
before, after = json.loads('''$STEP_METRICS'''), json.loads('''$metrics''')
step = {"step": "$STEP", "wallSeconds": ($t1 - $STEP_T0) / 1000,
        "gatewayCpuSeconds": ($gw - $STEP_GW) / clk, "postgresCpuSeconds": ($pg - $STEP_PG) / clk,
        "sandboxCpuSeconds": ($sb - $STEP_SB) / clk,
        "gatewayPeakRssMb": int(open("$WORK/$STEP/gateway.rss").read()) / 1024,
        "postgresPeakPssMb": int(open("$WORK/$STEP/postgres.pss").read()) / 1024,
        "gatewayMeters": {k: round(after.get(k, 0) - before.get(k, 0), 3) for k in after}}
step.update({$1})
json.dump(step, open(sys.argv[1], "w"), indent=1)
print(f"  {step['step']}: {step['wallSeconds']:.1f} s; CPU seconds gateway {step['gatewayCpuSeconds']:.1f},"
      f" PostgreSQL {step['postgresCpuSeconds']:.1f}, sandbox {step['sandboxCpuSeconds']:.1f}; peak RSS gateway"
      f" {step['gatewayPeakRssMb']:.0f} MB (-Xmx256m), PostgreSQL {step['postgresPeakPssMb']:.0f} MB (PSS, all processes)")
m = step["gatewayMeters"]
def per(total, count):
    return 1000 * m.get(total, 0) / m[count] if m.get(count) else 0
print(f"    gateway meters: {m.get('acquire_count', 0):.0f} checkouts (wait {per('acquire_sum', 'acquire_count'):.2f} ms,"
      f" held {per('usage_sum', 'usage_count'):.2f} ms each); {m.get('cloudApi_count', 0):.0f} Cloud API calls"
      f" ({per('cloudApi_sum', 'cloudApi_count'):.1f} ms each); {m.get('metaWebhooks_count', 0):.0f} Meta webhooks"
      f" ({per('metaWebhooks_sum', 'metaWebhooks_count'):.1f} ms each)")
PY
}
gateway_metrics() { # the gateway's Prometheus sums and counts that say where a broadcast's time goes, as JSON
  curl -fsS "http://127.0.0.1:$GATEWAY_PORT/actuator/prometheus" | python3 -c '
import json, sys
m = {}
names = {"hikaricp_connections_acquire_seconds": "acquire", "hikaricp_connections_usage_seconds": "usage",
         "rh_cloudapi_requests_seconds": "cloudApi"}
for line in sys.stdin:
    if line.startswith("#"):
        continue
    name, value = line.split("{", 1)[0].split(" ", 1)[0], float(line.rsplit(" ", 1)[1])
    for prefix, key in names.items():
        if name in (prefix + "_sum", prefix + "_count"):
            k = key + name[len(prefix):]
            m[k] = m.get(k, 0) + value
    if name.startswith("http_server_requests_seconds_") and "uri=\"/webhooks/meta\"" in line:
        k = "metaWebhooks" + name[len("http_server_requests_seconds"):]
        if k.endswith(("_count", "_sum")):
            m[k] = m.get(k, 0) + value
    if name == "rh_messages_attempts_total":
        outcome = line.split("outcome=\"", 1)[1].split("\"", 1)[0]
        m["attempts_" + outcome] = m.get("attempts_" + outcome, 0) + value
print(json.dumps(m))'
}

# An org on its own sandbox number at a throughput, with N customers; prints "orgId userId key phoneNumberId".
an_org() { # throughput customers
  local org user key number
  org=$(api POST /admin/orgs '{"name":"bench"}' | json "['id']")
  number=1$(date +%s%N | tail -c 15)
  api PUT "/admin/orgs/$org/channel" \
    "{\"phoneNumberId\":\"$number\",\"wabaId\":\"2$number\",\"accessToken\":\"$TOKEN\",\"throughputPerSecond\":$1}" >/dev/null
  user=$(api POST "/admin/orgs/$org/users" '{"name":"bench"}' | json "['id']")
  key=$(api POST "/admin/orgs/$org/api-keys" '{"name":"bench"}' | json "['key']")
  [ "$2" -gt 0 ] && sql "INSERT INTO customers (org_id, id, phone)
    SELECT '$org', 'c' || g, (600000000000 + g)::text FROM generate_series(1, $2) g" >/dev/null
  echo "$org $user $key $number"
}

broadcast() { # org user key -> prints the broadcast path; the send's wall time goes to $WORK/create.ms
  local t0 t1 location
  t0=$(now_ms)
  location=$(curl -fsS -o /dev/null -D - "http://127.0.0.1:$GATEWAY_PORT/whatsapp/template/send" \
    -H "X-API-KEY: $3" -H 'Content-Type: application/json' -H 'Prefer: respond-async' \
    --data "{\"templateName\":\"hello_world\",\"sessionId\":\"bench\",\"orgId\":\"$1\",\"userId\":\"$2\",\"components\":[]}" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
  t1=$(now_ms)
  echo $(( t1 - t0 )) > "$WORK/create.ms"
  echo "$location"
}

await_completed() { # key path seconds
  local status
  for _ in $(seq 1 $(( $3 * 2 ))); do
    status=$(curl -fsS "http://127.0.0.1:$GATEWAY_PORT$2" -H "X-API-KEY: $1" | json "['status']")
    [ "$status" = completed ] && return 0
    sleep 0.5
  done
  echo "broadcast $2 not completed within $3 s" >&2; exit 1
}

ledger() { # phoneNumberId file: the sandbox's receive times of that number's messages (per 100 ms)
  curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger/recipients?phoneNumberId=$1" > "$2"
}
accepted_for() { # phoneNumberId
  curl -fsS "http://127.0.0.1:$SANDBOX_PORT/sandbox/ledger/recipients?phoneNumberId=$1" \
    | python3 -c 'import json, sys; print(sum(json.load(sys.stdin)["acceptedPer100ms"].values()))'
}
# the sandbox's receive times: how many, first and last tenth of a second, rate over the run, the busiest 1-s window
ledger_summary() { # file rate(0: none) -> python dict items
  python3 - "$1" "$2" <<'PY'
import json, sys
counts = {int(k): v for k, v in json.load(open(sys.argv[1]))["acceptedPer100ms"].items()}
rate = int(sys.argv[2])
first, last = min(counts), max(counts)
series = [counts.get(t, 0) for t in range(first, last + 1)]
n = sum(series)
# the average over the whole run, from the first tenth to the last (both partial: +/- one tenth)
achieved = n / ((last - first + 1) / 10)
windows = [sum(series[i:i + 10]) for i in range(max(1, len(series) - 9))]
above = sum(1 for w in windows if rate and w > rate)
print(f'"accepted": {n}, "firstSendMs": {first * 100}, "lastSendMs": {last * 100}, "ratePerSecond": {achieved:.1f},'
      f' "busiestSecond": {max(windows)}, "windowsAboveRate": {above}, "windows": {len(windows)}')
PY
}

RUN_START=$(now_ms)
log "results: $RESULT; logs: $OUT"

# --- 1. unpaced: recipients/s at the sandbox, then every recipient's statuses applied
if [[ " $STEPS " == *" unpaced "* ]]; then
  log "gateway with pacing off; $RECIPIENTS customers; sandbox status webhooks on"
  start_gateway --rh.broadcasts.pacing=false
  read -r ORG USER KEY NUMBER <<< "$(an_org 1000 "$RECIPIENTS")"
  step_begin unpaced
  B=$(broadcast "$ORG" "$USER" "$KEY")
  BID=${B##*/}
  log "broadcast $BID created (202) in $(cat "$WORK/create.ms") ms; waiting for the sandbox to accept every recipient"
  deadline=$(( $(date +%s) + 3600 ))
  polls=0
  while n=$(accepted_for "$NUMBER"); [ "$n" -lt "$RECIPIENTS" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "only $n of $RECIPIENTS accepted within 3,600 s" >&2; exit 1; }
    polls=$(( polls + 1 ))
    if [ $(( polls % 15 )) = 0 ]; then
      log "  $n accepted"
      status=$(curl -fsS "http://127.0.0.1:$GATEWAY_PORT$B" -H "X-API-KEY: $KEY" | json "['status']")
      [ "$status" = completed ] && { log "  completed with $n of $RECIPIENTS accepted"; break; }
    fi
    sleep 2
  done
  SENT_MS=$(now_ms)
  log "all $RECIPIENTS accepted by the sandbox; waiting for every recipient to be read in the gateway"
  read_all=false
  deadline=$(( $(date +%s) + STATUS_WAIT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    read -r READ LAST_UPDATE_MS <<< "$(sql "SELECT count(*) FILTER (WHERE status = 'read'),
      (extract(epoch FROM max(updated_at)) * 1000)::bigint FROM messages WHERE org_id = '$ORG' AND broadcast_id = '$BID'")"
    if [ "$READ" -ge "$RECIPIENTS" ]; then read_all=true; break; fi
    sleep 1
  done
  sql "SELECT status, count(*) FROM messages WHERE org_id = '$ORG' AND broadcast_id = '$BID' GROUP BY status" \
    | tr '\n' ';' > "$WORK/unpaced.statuses"
  ledger "$NUMBER" "$WORK/unpaced-ledger.json"
  SUMMARY=$(ledger_summary "$WORK/unpaced-ledger.json" 0)
  PROGRESS=$(curl -fsS "http://127.0.0.1:$GATEWAY_PORT$B" -H "X-API-KEY: $KEY")
  # the time from the last send (the start of the sandbox's last tenth with a message: the lag is not understated)
  # to the last status applied (the latest updated_at of the broadcast's messages, all read)
  step_end "$SUMMARY, \"recipients\": $RECIPIENTS, \"createMs\": $(cat "$WORK/create.ms"),
    \"allRead\": $( [ $read_all = true ] && echo True || echo False ), \"readCount\": $READ,
    \"statusesAppliedMs\": ${LAST_UPDATE_MS:-None}, \"statusCounts\": '$(cat "$WORK/unpaced.statuses")',
    \"broadcast\": json.loads('''$PROGRESS''')"
  python3 - "$OUT/steps/unpaced.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["statusesLagSeconds"] = (s["statusesAppliedMs"] - s["lastSendMs"]) / 1000 if s["allRead"] else None
json.dump(s, open(sys.argv[1], "w"), indent=1)
lag = f"{s['statusesLagSeconds']:.1f} s after the last send" if s["allRead"] else \
    f"NOT all read ({s['readCount']} of {s['recipients']}; {s['statusCounts']})"
print(f"  unpaced: {s['accepted']} accepted by the sandbox at {s['ratePerSecond']:.0f} recipients/s (its receive times);"
      f" every recipient read {lag}; 202 in {s['createMs']} ms; broadcast {s['broadcast']['status']},"
      f" {s['broadcast']['failed']} failed")
PY
  stop_gateway
fi

# --- 2, 3. paced; during the 1,000/s broadcast, another org's single sends
if [[ " $STEPS " == *" paced "* ]]; then
  log "gateway with pacing on"
  start_gateway
  for RATE in 80 1000; do
    N=$(( RATE * PACED_SECONDS ))
    read -r ORG USER KEY NUMBER <<< "$(an_org "$RATE" "$N")"
    EXTRA=""
    if [ "$RATE" = 1000 ]; then
      # the other org: one customer who has written in (the 24-hour window is open), single text sends
      read -r SORG SUSER SKEY SNUMBER <<< "$(an_org 1000 0)"
      SPHONE=4915$(date +%s%N | tail -c 9)
      SCUSTOMER=$(api POST "/admin/orgs/$SORG/customers" "{\"phone\":\"$SPHONE\",\"name\":\"bench\"}" | json "['id']")
      curl -fsS -X POST "http://127.0.0.1:$SANDBOX_PORT/sandbox/customers/$SPHONE/messages" \
        -H 'Content-Type: application/json' --data "{\"text\":\"hi\",\"phoneNumberId\":\"$SNUMBER\"}" >/dev/null
      export BENCH_BODY="{\"message\":{\"type\":\"text\",\"text\":{\"body\":\"testing msg\"}},\"sessionId\":\"bench\",\"customerId\":\"$SCUSTOMER\",\"userId\":\"$SUSER\",\"orgId\":\"$SORG\"}"
      export BENCH_HEADER="x-api-key: $SKEY" BENCH_DELAY_MS=$SINGLE_DELAY_MS
      single() { # seconds name
        wrk -t2 -c"$SINGLE_CONNECTIONS" -d"$1"s -s bench/single-sends.lua \
          "http://127.0.0.1:$GATEWAY_PORT/whatsapp/messages/send" > "$OUT/wrk-$2.txt"
        grep '^BENCH_RESULT ' "$OUT/wrk-$2.txt" | cut -d' ' -f2-
      }
      single 3 warmup > /dev/null
      SINGLE_SECONDS=$(( PACED_SECONDS - 5 < 15 ? PACED_SECONDS - 5 : 15 ))
      log "single sends of another org alone: $SINGLE_CONNECTIONS connections, ${SINGLE_DELAY_MS} ms between requests, $SINGLE_SECONDS s"
      step_begin single-alone
      ALONE=$(single "$SINGLE_SECONDS" alone)
      step_end "\"wrk\": json.loads('''$ALONE''')"
    fi
    log "paced at $RATE/s: $N recipients"
    step_begin "paced-$RATE"
    B=$(broadcast "$ORG" "$USER" "$KEY")
    if [ "$RATE" = 1000 ]; then
      until [ "$(accepted_for "$NUMBER")" -gt 0 ]; do sleep 0.2; done
      sleep 1
      log "single sends of another org beside it: $SINGLE_SECONDS s"
      DURING=$(single "$SINGLE_SECONDS" during)
      EXTRA=", \"wrk\": json.loads('''$DURING''')"
    fi
    await_completed "$KEY" "$B" $(( PACED_SECONDS * 4 + 60 ))
    ledger "$NUMBER" "$WORK/paced-$RATE.json"
    step_end "$(ledger_summary "$WORK/paced-$RATE.json" "$RATE"), \"rate\": $RATE, \"recipients\": $N $EXTRA"
    python3 - "$OUT/steps/paced-$RATE.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
rate = s["rate"]
print(f"  paced at {rate}/s: {s['accepted']} messages, achieved {s['ratePerSecond']:.1f}/s"
      f" ({100 * (s['ratePerSecond'] - rate) / rate:+.2f} %); busiest 1-s window (100 ms steps) {s['busiestSecond']}"
      f" ({s['windowsAboveRate']} of {s['windows']} windows above {rate})")
PY
  done
  stop_gateway
fi

# --- the results, and which targets are met
python3 - "$OUT/steps" "$RESULT" "$P99_FACTOR" "$P99_MS" "$RUN_START" "$RECIPIENTS" "$PACED_SECONDS" \
  "$(uname -n); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores; $("$JAVA" -version 2>&1 | head -1)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git rev-parse --short HEAD)" <<'PY'
import glob, json, os, sys
steps_dir, result, factor, bound_ms, start, n, paced_s, machine, load, commit = sys.argv[1:]
steps = {os.path.basename(f)[:-5]: json.load(open(f)) for f in sorted(glob.glob(steps_dir + "/*.json"))}
targets = []
def target(name, met, detail):
    targets.append({"target": name, "met": met, "detail": detail})
u = steps.get("unpaced")
if u:
    target(">= 2,000 recipients/s unpaced (sandbox receive times)", u["ratePerSecond"] >= 2000,
           f"{u['ratePerSecond']:.0f}/s for {u['accepted']}")
    lag = u.get("statusesLagSeconds")
    target("every recipient read within 60 s of the last send", lag is not None and lag <= 60,
           f"{lag:.1f} s" if lag is not None else f"not all read: {u['statusCounts']}")
p = steps.get("paced-1000")
if p:
    off = 100 * (p["ratePerSecond"] - 1000) / 1000
    target("paced 1,000/s within 3 % over the run", abs(off) <= 3, f"{p['ratePerSecond']:.1f}/s ({off:+.2f} %)")
    target("no 1-s window above 1,000 (sandbox receive times)", p["busiestSecond"] <= 1000,
           f"busiest {p['busiestSecond']}, {p['windowsAboveRate']} of {p['windows']} windows above")
    alone, during = steps["single-alone"]["wrk"], p["wrk"]
    limit = max(float(factor) * alone["latencyMs"]["p99"], float(bound_ms))
    ok = during["latencyMs"]["p99"] <= limit and during["socketErrors"] == 0 and set(during["status"]) == {"200"}
    target(f"another org's single sends keep their p99 beside the paced broadcast (<= {factor}x alone or <= {bound_ms} ms)",
           ok, f"p99 alone {alone['latencyMs']['p99']:.1f} ms ({alone['requests']} sends), beside it"
               f" {during['latencyMs']['p99']:.1f} ms ({during['requests']} sends, answers {during['status']}); bound {limit:.1f} ms")
p80 = steps.get("paced-80")
if p80:
    off = 100 * (p80["ratePerSecond"] - 80) / 80
    target("paced 80/s within 3 % over the run", abs(off) <= 3, f"{p80['ratePerSecond']:.1f}/s ({off:+.2f} %)")
    target("no 1-s window above 80", p80["busiestSecond"] <= 80, f"busiest {p80['busiestSecond']}")
doc = {"kind": "broadcast", "commit": commit, "machine": machine, "loadAverageAtEnd": load,
       "recipients": int(n), "pacedSeconds": int(paced_s), "steps": steps, "targets": targets}
json.dump(doc, open(result, "w"), indent=1)
print("\nTargets:")
for t in targets:
    print(f"  {'MET    ' if t['met'] else 'NOT MET'} {t['target']}: {t['detail']}")
print(f"\nResults: {result}")
PY
log "done"
