#!/usr/bin/env bash
# The fault suite: every scenario of issue 8 in its full version, against real processes on 127.0.0.1
# (PostgreSQL, the sandbox with --sandbox-only, the packaged gateway jar), each about 2 minutes on an idle machine
# (a broadcast is bounded by its progress, not by a wall clock: a busy machine makes it slower, not failed).
# Prints one table row per scenario and writes the table to faults/results/latest.md with the machine named.
# Passes when every scenario shows 0 lost and 0 duplicated (g: and 0 sent after being reported failed).
# Extra arguments go to Maven (e.g. -o offline,
# -Dit.test=CrashFaultsIT for one scenario). Every process a scenario starts, it stops by its own handle.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi

./mvnw -q "$@" package -DskipTests || exit 1
rm -f target/faults/results.md
started=$(date +%s)
./mvnw failsafe:integration-test failsafe:verify -Dit.test='*FaultsIT' -Dfaults.full=true "$@" \
  > target/faults-run.log 2>&1
status=$?
elapsed=$(( $(date +%s) - started ))

{
  echo "# Fault suite: latest run"
  echo
  echo "\`bash faults/run.sh\` on $(hostname) ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GB RAM; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)), $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "commit $(git rev-parse --short HEAD), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1). Suite: ${elapsed} s, $([ $status -eq 0 ] && echo passed || echo FAILED)."
  echo
  echo "| scenario | attempted | accepted by API | delivered exactly once | duplicated | lost | unknown | unknown resolved | failed (reported) | seconds | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  cat target/faults/results.md 2>/dev/null
  echo
  grep -E "Tests run:.*FaultsIT|FAILURE|AssertionError" target/faults-run.log | sed 's/^/    /' | head -20
} > faults/results/latest.md
cat faults/results/latest.md
exit $status
