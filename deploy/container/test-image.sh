#!/usr/bin/env bash
# The container image's test, as a user would run it: builds the image from the packaged jar (on the base that
# deploy/container/build-base.sh makes, or BASE), starts it on a new volume, waits for its health check, sends the
# seed's text example to the built-in sandbox, stops it with SIGTERM and checks that it exited within the graceful
# shutdown's bound, then starts a new container on the same volume and finds the message and the demo key again.
#   ./mvnw package -DskipTests && deploy/container/test-image.sh
# KEEP_IMAGE=1 keeps the image it built (IMAGE, localhost/rh-whatsapp-api:test).
# Needs: podman (with runc), mmdebstrap (unless BASE is given), curl, jq, a JDK 21+ as JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/../.."

jar=target/rh-whatsapp-api.jar
image=${IMAGE:-localhost/rh-whatsapp-api:test}
port=${PORT:-18080}
stop_bound=30 # rh.shutdown.drain (1 s) + spring.lifecycle.timeout-per-shutdown-phase (20 s) + the JVM's exit
name=rh-image-test-$$
volume=rh-image-test-$$

for tool in podman curl jq; do command -v "$tool" > /dev/null || { echo "$tool is missing" >&2; exit 1; }; done
[ -s "$jar" ] || { echo "no $jar: run ./mvnw package first" >&2; exit 1; }

# This machine's podman set-up, for the test only: runc (crun refuses hybrid cgroups), cgroupfs (no systemd) and no
# default ulimits (setrlimit is refused). A CONTAINERS_CONF given by the caller wins.
work=$(mktemp -d)
if [ -z "${CONTAINERS_CONF:-}" ]; then
  cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
  export CONTAINERS_CONF=$work/containers.conf
fi

cleanup() {
  podman rm -f --time 0 "$name" > /dev/null 2>&1 || true
  podman volume rm -f "$volume" > /dev/null 2>&1 || true
  [ -n "${KEEP_IMAGE:-}" ] || podman rmi -f "$image" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { echo "== $(date -u +%T) $*"; }
fail() { echo "FAILED: $*" >&2; podman logs --tail 60 "$name" >&2 2>&1 || true; exit 1; }

if [ -z "${BASE:-}" ]; then
  step "base image (deploy/container/build-base.sh)"
  deploy/container/build-base.sh
  BASE=localhost/rh-whatsapp-api-base:bookworm
fi
step "build $image on $BASE"
# --layers=false: no intermediate images left behind by a test that runs on every CI run
podman build --quiet --layers=false --format docker --build-arg BASE="$BASE" -t "$image" . > /dev/null

[ "$(podman image inspect --format '{{.Config.User}}' "$image")" = rh ] || fail "the image does not run as the user rh"
podman image inspect --format '{{.Config.Healthcheck.Test}}' "$image" | grep rh-healthcheck > /dev/null \
  || fail "the image has no HEALTHCHECK"

start() {
  # no systemd here to run the health check on a timer: the test runs it itself (podman healthcheck run)
  podman run -d --name "$name" -p "127.0.0.1:$port:8080" -v "$volume:/data" "$image" > /dev/null
  for _ in $(seq 1 90); do
    if podman healthcheck run "$name" > /dev/null 2>&1; then
      step "healthy"
      return
    fi
    [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] || fail "the container stopped while starting"
    sleep 2
  done
  fail "not healthy after 180 s"
}

field() { jq -r ".$1 // empty"; }

step "start on a new volume"
podman volume create "$volume" > /dev/null
start
demo=$(podman exec "$name" cat /data/demo.json)
api_key=$(field apiKey <<< "$demo")
org_id=$(field orgId <<< "$demo")
user_id=$(field userId <<< "$demo")
customer_id=$(field customerId <<< "$demo")
[ -n "$api_key" ] && [ -n "$customer_id" ] || fail "no demo organization in /data/demo.json"
[ "$(podman exec "$name" id -u)" = 10001 ] || fail "the gateway does not run as uid 10001"

step "the seed's text example against the sandbox"
answer=$(curl -sS --fail-with-body --location "http://127.0.0.1:$port/whatsapp/messages/send" \
  --header "x-api-key: $api_key" \
  --header 'Content-Type: application/json' \
  --data "{
  \"message\": {\"type\": \"text\", \"text\": {\"body\": \"testing msg\"}},
  \"sessionId\": \"container-test\", \"customerId\": \"$customer_id\", \"userId\": \"$user_id\", \"orgId\": \"$org_id\"
}") || fail "the send failed: $answer"
message_id=$(field id <<< "$answer")
[ -n "$message_id" ] || fail "no message id in $answer"
message_status() {
  curl -sS "http://127.0.0.1:$port/whatsapp/messages/$message_id" --header "x-api-key: $api_key" | field status
}
for _ in $(seq 1 50); do
  [ "$(message_status)" = read ] && break
  sleep 0.2
done
[ "$(message_status)" = read ] || fail "message $message_id is $(message_status), not read"
step "message $message_id read"

step "podman stop -t $stop_bound (SIGTERM)"
began=$(date +%s)
podman stop -t "$stop_bound" "$name" > /dev/null
took=$(( $(date +%s) - began ))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
# read whole first: with pipefail, grep -q leaving early would fail the pipeline by SIGPIPE
stop_log=$(podman logs --tail 200 "$name" 2>&1)
grep -qi 'graceful shutdown' <<< "$stop_log" || fail "no graceful shutdown in the log"
# 137 would be the SIGKILL at the end of the timeout
[ "$exit_code" = 0 ] || [ "$exit_code" = 143 ] || fail "exited with $exit_code after ${took}s"
[ "$took" -lt "$stop_bound" ] || fail "took ${took}s to stop (bound ${stop_bound}s)"
step "stopped in ${took}s, exit code $exit_code"

step "a new container on the same volume"
podman rm "$name" > /dev/null
start
[ "$(podman exec "$name" cat /data/demo.json | field apiKey)" = "$api_key" ] || fail "the demo key changed"
[ "$(message_status)" = read ] || fail "message $message_id did not survive the restart"
step "message $message_id and the demo key survived; the image passed"
