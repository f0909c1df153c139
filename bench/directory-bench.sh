#!/usr/bin/env bash
# The public directory on the national data set (`seed-scale`: 89 regions, 175,000 pages):
# residents searching by words, prefixes, typos and streets in a region and in every region,
# and opening public cards, 8 at once. Reports p50/p99 per kind of request.
# Usage: bench/directory-bench.sh [SECONDS] [THREADS] [REGIONS] [PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; threads="${2:-8}"; regions="${3:-89}"; pages="${4:-175000}"
name="gospublic_bench_directory"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18086}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-scale --regions "$regions" --pages "$pages" \
  --organizations $((pages * 4 / 7)) --questions 10000 --weeks 2 >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "copy (select r.slug, o.id, o.name, coalesce(o.address, '') from organizations o join regions r on r.id = o.region_id
         where o.archived_at is null and not o.exempt order by md5(o.id::text) limit 2000) to stdout" > "$out/directory-queries.tsv"
DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/directory-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# One pass to warm the caches the way a running server has them.
python3 bench/directory_load.py --base "$base" --queries "$out/directory-queries.tsv" --seconds 5 --threads 2 >/dev/null
python3 bench/directory_load.py --base "$base" --queries "$out/directory-queries.tsv" --seconds "$seconds" --threads "$threads"
