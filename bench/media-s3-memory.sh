#!/usr/bin/env bash
# Media in S3-compatible storage at -Xmx256m: starts s3proxy (a real S3-protocol server, from the test classpath,
# on a filesystem blob store in a temporary directory) and the packaged gateway with -Xmx256m and
# RH_MEDIA_STORE=s3 (keep-outbound on, sandbox upstream); sends one SIZE_MB (default 100) MB PDF as base64 in the
# JSON body, has the sandbox's demo customer send an IMAGE_MB (default 2) MB image (its base64 within the JSON
# parser's 5 MB string limit), downloads it back through the gateway, reads both objects back from the bucket
# over the S3 protocol (curl --aws-sigv4) and compares their SHA-256 with the files'; prints the peak heap from
# the GC log (the highest heap occupancy before a collection) and the peak RSS, then stops both processes (by their PIDs) and deletes the temporary directory.
#   bash bench/media-s3-memory.sh     (needs target/rh-whatsapp-api.jar: ./mvnw package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=target/rh-whatsapp-api.jar
SIZE_MB=${SIZE_MB:-100}
IMAGE_MB=${IMAGE_MB:-2}
HEAP=${HEAP:-256m}
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw package -DskipTests first" >&2; exit 1; }

WORK=$(mktemp -d /tmp/rh-media-s3-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
S3_PORT=$(free_port)
PID=""
S3_PID=""
cleanup() {
  for p in "$PID" "$S3_PID"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      kill "$p"
      wait "$p" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "s3proxy: port $S3_PORT, blobs in $WORK/blobs"
./mvnw -B -ntp -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
mkdir -p "$WORK/blobs/rh-media"
cat >"$WORK/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.identity=bench
jclouds.credential=bench-secret
jclouds.filesystem.basedir=$WORK/blobs
EOF
"$JAVA_HOME/bin/java" -Xmx512m -cp "$(cat "$WORK/cp.txt")" org.gaul.s3proxy.Main --properties "$WORK/s3proxy.conf" \
  >"$WORK/s3proxy.log" 2>&1 &
S3_PID=$!

echo "gateway: -Xmx$HEAP, port $PORT, data $WORK/data"
# RH_LIMITS_JSON_BODY: the sandbox's write-in is a JSON request, and the image rides in it as base64
RH_LIMITS_JSON_BODY=$((IMAGE_MB * 2))MB RH_DATA_DIR="$WORK/data" SERVER_PORT="$PORT" RH_MEDIA_STORE=s3 RH_MEDIA_KEEP_OUTBOUND=true \
  RH_MEDIA_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" RH_MEDIA_S3_BUCKET=rh-media RH_MEDIA_S3_PATH_STYLE=true \
  RH_MEDIA_S3_ACCESS_KEY=bench RH_MEDIA_S3_SECRET_KEY=bench-secret \
  "$JAVA_HOME/bin/java" "-Xmx$HEAP" -XX:+ExitOnOutOfMemoryError "-Xlog:gc:file=$WORK/gc.log" -jar "$JAR" \
  >"$WORK/gateway.log" 2>&1 &
PID=$!

for _ in $(seq 1 120); do
  if [ -f "$WORK/data/demo.json" ] && curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; then break; fi
  kill -0 "$PID" 2>/dev/null || { echo "the gateway did not start:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
  sleep 1
done
grep -o "Media are kept in the .*" "$WORK/gateway.log" || true
demo() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$WORK/data/demo.json" "$1"; }
ORG=$(demo orgId); USER=$(demo userId); CUSTOMER=$(demo customerId); KEY=$(demo apiKey); PHONE=$(demo customerPhone)
b64url() { python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$1"; }
# an object read back over the S3 protocol: its SHA-256, and the sha256 it carries as metadata
from_bucket() {
  if curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user bench:bench-secret -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    -D "$WORK/object-headers" -o "$WORK/object" "http://127.0.0.1:$S3_PORT/rh-media/$1"; then
    sha256sum "$WORK/object" | cut -d' ' -f1
    rm -f "$WORK/object"
  else
    echo "not in the bucket: $1 (the bucket holds: $(cd "$WORK/blobs/rh-media" && find . -type f | head -5 | tr '\n' ' '))"
  fi
}
meta_sha256() { grep -i '^x-amz-meta-sha256:' "$WORK/object-headers" | cut -d' ' -f2 | tr -d '\r'; }
FAILED=0

echo "outbound: making a $SIZE_MB MB PDF and its JSON body"
{ printf '%%PDF-1.4\n'; head -c $((SIZE_MB * 1024 * 1024 - 9)) /dev/urandom; } >"$WORK/big.pdf"
{
  printf '{"message":{"type":"document","document":{"file":{"name":"big.pdf","type":"application/pdf",'
  printf '"displayType":"DOCUMENT","extension":"pdf","data":"'
  base64 -w0 "$WORK/big.pdf"
  printf '"},"caption":"%s MB"}},"sessionId":"bench","customerId":"%s","userId":"%s","orgId":"%s"}' \
    "$SIZE_MB" "$CUSTOMER" "$USER" "$ORG"
} >"$WORK/body.json"
echo "body: $(stat -c %s "$WORK/body.json") bytes"
curl -s -o "$WORK/answer.json" -w "send: HTTP %{http_code} in %{time_total}s " -H "X-API-KEY: $KEY" \
  -H 'Content-Type: application/json' --data-binary "@$WORK/body.json" "http://127.0.0.1:$PORT/whatsapp/messages/send"
head -c 160 "$WORK/answer.json"; echo
PDF_SHA=$(sha256sum "$WORK/big.pdf" | cut -d' ' -f1)
BUCKET_SHA=$(from_bucket "outbound/$(b64url "$ORG")/$PDF_SHA")
echo "outbound: file sha256 $PDF_SHA; in the bucket $BUCKET_SHA (x-amz-meta-sha256 $(meta_sha256))"
[ "$PDF_SHA" = "$BUCKET_SHA" ] || FAILED=1
rm -f "$WORK/body.json"

echo "inbound: the demo customer sends a $IMAGE_MB MB image through the sandbox"
{ printf '\xff\xd8\xff\xe0'; head -c $((IMAGE_MB * 1024 * 1024 - 4)) /dev/urandom; } >"$WORK/image.jpg"
{
  printf '{"type":"image","image":{"caption":"bench","mime_type":"image/jpeg","data":"'
  base64 -w0 "$WORK/image.jpg"
  printf '"}}'
} >"$WORK/image.json"
curl -s -o "$WORK/wrote-in.json" -w "sandbox write-in: HTTP %{http_code} " -H 'Content-Type: application/json' \
  --data-binary "@$WORK/image.json" "http://127.0.0.1:$PORT/sandbox/customers/$PHONE/messages"
head -c 300 "$WORK/wrote-in.json"; echo
MEDIA=$(curl -s -H "X-API-KEY: $KEY" "http://127.0.0.1:$PORT/whatsapp/messages?limit=1&customerId=$CUSTOMER" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["mediaId"])')
for _ in $(seq 1 60); do
  CODE=$(curl -s -o "$WORK/served.jpg" -w '%{http_code}' -H "X-API-KEY: $KEY" "http://127.0.0.1:$PORT/whatsapp/media/$MEDIA")
  [ "$CODE" = 200 ] && break
  sleep 1
done
IMAGE_SHA=$(sha256sum "$WORK/image.jpg" | cut -d' ' -f1)
SERVED_SHA=$(sha256sum "$WORK/served.jpg" | cut -d' ' -f1)
BUCKET_SHA=$(from_bucket "inbound/$(b64url "$ORG")/$(b64url "$MEDIA")")
echo "inbound: image sha256 $IMAGE_SHA; served (HTTP $CODE) $SERVED_SHA; in the bucket $BUCKET_SHA (x-amz-meta-sha256 $(meta_sha256))"
[ "$IMAGE_SHA" = "$SERVED_SHA" ] && [ "$IMAGE_SHA" = "$BUCKET_SHA" ] || FAILED=1

kill -0 "$PID" 2>/dev/null && echo "gateway still running: $(curl -s "http://127.0.0.1:$PORT/actuator/health")"
PEAK_HEAP=$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$WORK/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
echo "peak heap before a GC: ${PEAK_HEAP:-?} MB (max $HEAP); GCs: $(grep -c 'Pause' "$WORK/gc.log")"
echo "peak RSS: $(grep VmHWM "/proc/$PID/status" | awk '{print int($2/1024)}') MB"
grep -q OutOfMemoryError "$WORK/gateway.log" && { echo "OutOfMemoryError in the log!"; FAILED=1; }
[ "${PEAK_HEAP:-999}" -lt 200 ] || FAILED=1
[ "$FAILED" = 0 ] && echo "passed" || { echo "FAILED"; tail -30 "$WORK/gateway.log"; exit 1; }
