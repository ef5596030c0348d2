#!/usr/bin/env bash
# Bounded memory for media sends: starts the packaged gateway with -Xmx256m on a temporary data directory
# and a random port (sandbox upstream), sends CONCURRENCY (default 8) concurrent messages, each a SIZE_MB
# (default 100) MB PDF as base64 in the JSON body (~134 MB per request), prints each answer, the peak heap
# from the GC log and the peak RSS, checks that a body announced larger than the limit is refused with 413
# before it is sent, then stops the gateway (by its PID) and deletes the temporary directory.
#   bash bench/media-memory.sh            (needs target/rh-whatsapp-api.jar: ./mvnw package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=target/rh-whatsapp-api.jar
CONCURRENCY=${CONCURRENCY:-8}
SIZE_MB=${SIZE_MB:-100}
HEAP=${HEAP:-256m}
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw package -DskipTests first" >&2; exit 1; }

WORK=$(mktemp -d /tmp/rh-media-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID"
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "gateway: -Xmx$HEAP, port $PORT, data $WORK/data"
RH_DATA_DIR="$WORK/data" SERVER_PORT="$PORT" "$JAVA_HOME/bin/java" "-Xmx$HEAP" -XX:+ExitOnOutOfMemoryError \
  "-Xlog:gc:file=$WORK/gc.log" -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
PID=$!

for _ in $(seq 1 120); do
  if [ -f "$WORK/data/demo.json" ] && curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; then break; fi
  kill -0 "$PID" 2>/dev/null || { echo "the gateway did not start:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
  sleep 1
done
demo() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$WORK/data/demo.json" "$1"; }
ORG=$(demo orgId); USER=$(demo userId); CUSTOMER=$(demo customerId); KEY=$(demo apiKey)

echo "making a $SIZE_MB MB PDF and its JSON body"
{ printf '%%PDF-1.4\n'; head -c $((SIZE_MB * 1024 * 1024 - 9)) /dev/urandom; } >"$WORK/big.pdf"
{
  printf '{"message":{"type":"document","document":{"file":{"name":"big.pdf","type":"application/pdf",'
  printf '"displayType":"DOCUMENT","extension":"pdf","data":"'
  base64 -w0 "$WORK/big.pdf"
  printf '"},"caption":"%s MB"}},"sessionId":"bench","customerId":"%s","userId":"%s","orgId":"%s"}' \
    "$SIZE_MB" "$CUSTOMER" "$USER" "$ORG"
} >"$WORK/body.json"
echo "body: $(stat -c %s "$WORK/body.json") bytes"

echo "sending $CONCURRENCY concurrently"
START=$(date +%s.%N)
for i in $(seq 1 "$CONCURRENCY"); do
  curl -s -o "$WORK/answer-$i.json" -w "%{http_code} %{time_total}\n" -H "X-API-KEY: $KEY" \
    -H 'Content-Type: application/json' --data-binary "@$WORK/body.json" \
    "http://127.0.0.1:$PORT/whatsapp/messages/send" >"$WORK/status-$i" &
done
wait $(jobs -p | grep -v "^$PID$") 2>/dev/null || true
END=$(date +%s.%N)

OK=0
for i in $(seq 1 "$CONCURRENCY"); do
  read -r CODE TOOK <"$WORK/status-$i"
  [ "$CODE" = 200 ] && OK=$((OK + 1))
  echo "send $i: HTTP $CODE in ${TOOK}s $(head -c 160 "$WORK/answer-$i.json")"
done
printf 'succeeded: %d of %d in %.1f s\n' "$OK" "$CONCURRENCY" "$(echo "$END - $START" | bc)"

# a body announced larger than the limit (500 MB): answered 413 from its headers, nothing of it sent
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /whatsapp/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-KEY: %s\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n' "$KEY" >&3
echo "over the limit: $(timeout 10 head -c 12 <&3)"
exec 3<&- 3>&-

kill -0 "$PID" 2>/dev/null && echo "gateway still running: $(curl -s "http://127.0.0.1:$PORT/actuator/health")"
PEAK_HEAP=$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$WORK/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
echo "peak heap before a GC: ${PEAK_HEAP:-?} MB (max $HEAP); GCs: $(grep -c 'Pause' "$WORK/gc.log")"
echo "peak RSS: $(grep VmHWM "/proc/$PID/status" | awk '{print int($2/1024)}') MB"
grep -q OutOfMemoryError "$WORK/gateway.log" && echo "OutOfMemoryError in the log!"
[ "$OK" = "$CONCURRENCY" ]
