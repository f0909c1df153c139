#!/usr/bin/env bash
# Load (and optionally a PostgreSQL restart in the middle of it) against the release build on
# loopback. Usage: bench/run-load.sh [SECONDS] [THREADS] [--restart-db-at N]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; threads="${2:-8}"; restart_at=""
if [ "${3:-}" = "--restart-db-at" ]; then restart_at="${4:?seconds}"; fi
db="postgres://postgres@127.0.0.1:5432/gospublic_bench"
port="${BENCH_PORT:-18080}"
out="target/bench"; mkdir -p "$out"

cargo build --release --quiet
dropdb -h 127.0.0.1 -U postgres --if-exists --force gospublic_bench
DATABASE_URL="$db" ./target/release/gospublic seed-demo >/dev/null 2>&1
DATABASE_URL="$db" RUST_LOG=warn ./target/release/gospublic serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

if [ -n "$restart_at" ]; then
  (
    sleep "$restart_at"
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "fault: stopping PostgreSQL at $(date +%T)" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop -m fast
    sleep 5
    echo "fault: readyz while down: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    echo "fault: PostgreSQL started again at $(date +%T)" >&2
  ) &
fi

python3 bench/load.py --base "http://127.0.0.1:$port" --seconds "$seconds" --threads "$threads" \
  --database "$db" --server-pid "$server" --sample-every "${BENCH_SAMPLE_EVERY:-30}" --json "$out/load-$(date +%Y%m%d-%H%M%S).json"
