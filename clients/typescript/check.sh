#!/usr/bin/env bash
# Generates the TypeScript client from openapi.json, compiles it with send.ts (npm ci, tsc), then starts the
# packaged gateway (target/rh-whatsapp-api.jar, embedded defaults, a fresh data directory on a free port of
# 127.0.0.1) and sends the seed's text example through the client. Needs JAVA_HOME (21+), Node 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
jar=$root/target/rh-whatsapp-api.jar
[ -f "$jar" ] || { echo "no $jar: run ./mvnw package at the repository root first" >&2; exit 1; }

"$root/mvnw" -B -ntp -q -f pom.xml generate-sources
npm ci --no-audit --no-fund
rm -rf dist
npm run --silent build

work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$JAVA_HOME/bin/java" -jar "$jar" --server.address=127.0.0.1 --server.port="$port" --rh.data-dir="$work/data" \
  > "$work/gateway.log" 2>&1 &
pid=$!
stop() {
  kill "$pid" 2> /dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
  kill -9 "$pid" 2> /dev/null || true
}
trap stop EXIT

ready=no
for _ in $(seq 1 180); do
  kill -0 "$pid" 2> /dev/null || { echo "the gateway exited; its log:" >&2; tail -50 "$work/gateway.log" >&2; exit 1; }
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
      "http://127.0.0.1:$port/actuator/health/readiness"; then
    ready=yes
    break
  fi
  sleep 1
done
[ "$ready" = yes ] || { echo "the gateway was not ready within 180 s; its log:" >&2; tail -50 "$work/gateway.log" >&2; exit 1; }
npm run --silent send -- "http://127.0.0.1:$port" "$work/data/demo.json"
stop
trap - EXIT
rm -rf "$work"
