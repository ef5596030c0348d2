#!/usr/bin/env bash
# The generated clients against the packaged gateway (target/rh-whatsapp-api.jar: ./mvnw package or verify first):
# the Java client (clients/java: generated from openapi.json, SeedFlowsTest runs the seed's text, media upload and
# send, hello_world template, history and events webhook through it), then the TypeScript client
# (clients/typescript/check.sh: generated, npm ci, tsc, the seed's text example sent through it).
# Needs JAVA_HOME (21+), Node 20+ and npm; each starts its own gateway on a free port of 127.0.0.1 and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -f clients/java/pom.xml verify
bash clients/typescript/check.sh
