#!/usr/bin/env bash
# The monitoring screens at national scale, against the release build on loopback: p50/p99
# with wrk at a fixed concurrency for the largest region's dashboard, a municipality
# drill-down, the federal overview and the XLSX exports; then the same screens' SQL run
# directly in psql, for comparison. That SQL is not a copy: each screen is requested once
# with PostgreSQL logging every statement, and bench/capture_sql.py turns what the code ran
# into target/bench/dashboard.sql.
# Usage: bench/dashboard-bench.sh [SECONDS] [CONNECTIONS]
# The data set (gospublic seed-scale: 89 regions, 100k organizations, 175k pages, a year of
# weekly figures, 5M questions) is made once into gospublic_bench_scale and reused; set
# RESEED=1 to make it again.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"; connections="${2:-4}"
name=gospublic_bench_scale
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18082}"
base="http://127.0.0.1:$port"
region=moskovskaya-oblast
out="target/bench"; mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
psql_db() { psql -X -h 127.0.0.1 -U postgres -d "$name" "$@"; }

. bench/common.sh
seeded="$(psql -X -h 127.0.0.1 -U postgres -d "$name" -Atc "select count(*) from regions where slug = '$region'" 2>/dev/null || echo 0)"
if [ "${RESEED:-0}" = 1 ] || [ "$seeded" != 1 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
  DATABASE_URL="$db" RUST_LOG=warn "$bin" seed-scale --seed 1
fi
psql_db -Atc "select 'regions ' || (select count(*) from regions) || ', organizations ' || (select count(*) from organizations)
  || ', pages ' || (select count(*) from pages) || ', weekly figures ' || (select count(*) from page_snapshots)
  || ', questions ' || (select count(*) from questions)"
region_id="$(psql_db -Atc "select id from regions where slug = '$region'")"
municipality="$(psql_db -Atc "select min(id) from municipalities where region_id = $region_id")"
psql_db -Atc "select 'largest region: ' || (select count(*) from organizations where region_id = $region_id) || ' organizations, '
  || (select count(*) from pages where region_id = $region_id) || ' pages, '
  || (select count(*) from questions where region_id = $region_id) || ' questions'"

start_server() {
  DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
    > "$out/dashboard-server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
}
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap 'stop_server' EXIT

# The SQL each screen runs, from the statement log of one request each (see capture_sql.py).
pg_log="${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log | sort -V | tail -1)}"
sql="$out/dashboard.sql"
capture() {
  local label="$1" who="$2" path="$3" cookie offset
  cookie="$(session "$who")"
  offset="$(stat -c %s "$pg_log")"
  curl -s -o /dev/null -H "Cookie: $cookie" "$base$path"
  sleep 0.5
  tail -c +"$((offset + 1))" "$pg_log" | grep -E "\[[0-9]+\] postgres@$name (LOG|DETAIL):|^[^0-9]" \
    | python3 bench/capture_sql.py "$label" "$(date -u '+%Y-%m-%d %H:%M:%S+00')" >> "$sql"
}
psql_db -qc "alter database $name set log_min_duration_statement = 0"
start_server
cat > "$sql" <<'HEAD'
-- The SQL each benchmarked screen ran for one request, captured from PostgreSQL's statement
-- log by bench/capture_sql.py (parameters written in, times relative to the capture).
\set QUIET on
\o /dev/null
-- The application's connections run without JIT (see src/db.rs); so does this.
set jit = off;
\timing on
HEAD
capture "region dashboard" coordinator@gospublic.test "/r/$region/dashboard"
capture "region dashboard, 365 days" coordinator@gospublic.test "/r/$region/dashboard?days=365"
capture "municipality dashboard" coordinator@gospublic.test "/r/$region/dashboard?municipality=$municipality"
capture "municipality drill-down list" coordinator@gospublic.test "/r/$region/dashboard/orgs?flag=not_verified&municipality=$municipality"
capture "federal overview" operator@gospublic.test "/operator/overview"
capture "coverage export (xlsx)" coordinator@gospublic.test "/r/$region/dashboard/export?table=municipality&format=xlsx"
capture "page export (xlsx)" coordinator@gospublic.test "/r/$region/dashboard/pages.xlsx"
stop_server
psql_db -qc "alter database $name reset log_min_duration_statement"
echo "captured $(grep -c '^\\echo' "$sql") screens' SQL into $sql"
start_server

measure() {
  local who="$1" path="$2" cookie
  cookie="$(session "$who")"
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")"
  [ "$code" = 200 ] || { echo "$who $path answered $code" >&2; exit 1; }
  echo "== $who GET $path ($connections connections, $seconds s)"
  wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
    | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
}

measure coordinator@gospublic.test "/r/$region/dashboard"
measure coordinator@gospublic.test "/r/$region/dashboard?days=30"
measure coordinator@gospublic.test "/r/$region/dashboard?days=90"
measure coordinator@gospublic.test "/r/$region/dashboard?days=365"
measure coordinator@gospublic.test "/r/$region/dashboard?municipality=$municipality"
measure coordinator@gospublic.test "/r/$region/dashboard/orgs?flag=not_verified&municipality=$municipality"
measure barnaul@gospublic.test "/r/$region/dashboard"
measure operator@gospublic.test "/operator/overview"
measure coordinator@gospublic.test "/r/$region/dashboard/export?table=municipality&format=xlsx"
measure coordinator@gospublic.test "/r/$region/dashboard/pages.xlsx"

echo "== the same SQL in psql, per screen (sum of its statements; best of 5 runs)"
for run in 1 2 3 4 5; do
  psql -X -h 127.0.0.1 -U postgres -d "$name" -f "$sql" 2>/dev/null | sed "s/^/$run /"
done | awk '$2 == "==" { key = $1 SUBSEP substr($0, index($0, "==") + 3); if (!(key in sum)) sum[key] = 0; label[key] = substr($0, index($0, "==") + 3); next }
  $2 == "Time:" { sum[key] += $3 }
  END { for (k in sum) { n = label[k]; if (!(n in best) || sum[k] < best[n]) best[n] = sum[k] }
        for (n in best) printf "%-32s %8.1f ms\n", n, best[n] }' | sort
