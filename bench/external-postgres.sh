#!/usr/bin/env bash
# An external PostgreSQL for the benchmarks: Debian's server, a cluster of its own in a temporary directory, on a
# free port of 127.0.0.1, tuned as a production server of this machine's size would be (pgtune's "web
# application" profile: a quarter of the memory as shared buffers, SSD costs, larger WAL), durability as shipped
# (fsync, synchronous_commit and full_page_writes on).
#
#   eval "$(bash bench/external-postgres.sh start)"   # prints BENCH_PG_DIR, BENCH_DATABASE_URL, _USER, _PASSWORD
#   bash bench/external-postgres.sh reset "$BENCH_PG_DIR"   # an empty database rh (drops the old one)
#   bash bench/external-postgres.sh stop "$BENCH_PG_DIR"    # stops the server (its PID) and deletes the directory
#
# Installs the postgresql package with apt-get when no server is installed. initdb refuses root: the cluster
# belongs to the postgres user. BENCH_PG_SHARED_BUFFERS (e.g. 2GB) overrides the quarter of the memory.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "installing Debian's postgresql (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$dir"
}
as_postgres() { runuser -u postgres -- "$@"; }
state() { # dir key
  sed -n "s/^$2=//p" "$1/bench.env"
}

start() {
  local dir=${1:-} bin port password mem_mb cores shared_mb
  bin=$(pg_bin)
  [ -n "$dir" ] || dir=$(mktemp -d /tmp/rh-bench-pg.XXXXXX)
  mkdir -p "$dir"
  chown postgres: "$dir"
  chmod 700 "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "$password" > "$dir/pwfile"
  chown postgres: "$dir/pwfile"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth-local=peer \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"

  # pgtune (web application, SSD, 200 connections) for this machine's memory and cores
  mem_mb=$(awk '/MemTotal/{print int($2 / 1024)}' /proc/meminfo)
  cores=$(nproc)
  shared_mb=$(( mem_mb / 4 ))
  local shared=${BENCH_PG_SHARED_BUFFERS:-${shared_mb}MB}
  local maintenance_mb=$(( mem_mb / 16 > 2048 ? 2048 : mem_mb / 16 ))
  local gather=$(( (cores + 1) / 2 ))
  local work_mb=$(( (mem_mb - shared_mb) * 1024 / (200 * 3) / gather / 1024 ))
  [ "$work_mb" -ge 4 ] || work_mb=4
  cat >> "$dir/data/postgresql.conf" <<CONF

# --- bench/external-postgres.sh: production settings for ${mem_mb} MB and ${cores} cores (pgtune, web application, SSD)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = $shared
effective_cache_size = $(( mem_mb * 3 / 4 ))MB
maintenance_work_mem = ${maintenance_mb}MB
work_mem = ${work_mb}MB
wal_buffers = 16MB
min_wal_size = 1GB
max_wal_size = 4GB
checkpoint_completion_target = 0.9
default_statistics_target = 100
random_page_cost = 1.1
effective_io_concurrency = 200
huge_pages = try
max_worker_processes = $cores
max_parallel_workers = $cores
max_parallel_workers_per_gather = $gather
max_parallel_maintenance_workers = $gather
# durability as shipped: every commit is flushed
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = off
CONF
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 120 start >/dev/null
  {
    echo "port=$port"
    echo "password=$password"
    echo "bin=$bin"
  } > "$dir/bench.env"
  chmod 600 "$dir/bench.env"
  reset "$dir" >/dev/null
  echo "BENCH_PG_DIR=$dir"
  echo "BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:$port/rh"
  echo "BENCH_DATABASE_USER=postgres"
  echo "BENCH_DATABASE_PASSWORD=$password"
  echo "# PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir/data," \
    "shared_buffers $shared, max_wal_size 4GB" >&2
}

reset() { # dir: an empty database rh
  local dir=$1
  as_postgres psql -h "$dir" -p "$(state "$dir" port)" -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS rh WITH (FORCE)' -c 'CREATE DATABASE rh'
}

stop() { # dir
  local dir=$1 pid
  [ -f "$dir/data/postmaster.pid" ] || { rm -rf "$dir"; return 0; }
  pid=$(head -1 "$dir/data/postmaster.pid")
  as_postgres "$(state "$dir" bin)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
    kill "$pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  reset) reset "${2:?the directory start printed}" ;;
  stop) stop "${2:?the directory start printed}" ;;
  *) echo "usage: $0 start [DIR] | reset DIR | stop DIR" >&2; exit 2 ;;
esac
