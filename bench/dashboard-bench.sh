#!/usr/bin/env bash
# The monitoring screens at national scale, against the release build on loopback: p50/p99
# with wrk at a fixed concurrency for the largest region's dashboard, a municipality
# drill-down, the federal overview and the XLSX exports; then the same screens' SQL run
# directly in psql (bench/dashboard.sql), for comparison.
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

cargo build --release --quiet
seeded="$(psql -X -h 127.0.0.1 -U postgres -d "$name" -Atc "select count(*) from regions where slug = '$region'" 2>/dev/null || echo 0)"
if [ "${RESEED:-0}" = 1 ] || [ "$seeded" != 1 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
  DATABASE_URL="$db" RUST_LOG=warn ./target/release/gospublic seed-scale --seed 1
fi
psql_db -Atc "select 'regions ' || (select count(*) from regions) || ', organizations ' || (select count(*) from organizations)
  || ', pages ' || (select count(*) from pages) || ', weekly figures ' || (select count(*) from page_snapshots)
  || ', questions ' || (select count(*) from questions)"
region_id="$(psql_db -Atc "select id from regions where slug = '$region'")"
municipality="$(psql_db -Atc "select min(id) from municipalities where region_id = $region_id")"
psql_db -Atc "select 'largest region: ' || (select count(*) from organizations where region_id = $region_id) || ' organizations, '
  || (select count(*) from pages where region_id = $region_id) || ' pages, '
  || (select count(*) from questions where region_id = $region_id) || ' questions'"

DATABASE_URL="$db" RUST_LOG=warn ./target/release/gospublic serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/dashboard-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

# Signs in and prints the session cookie.
session() {
  local jar; jar="$(mktemp)"
  local token
  token="$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=$1" \
    --data-urlencode "password=gospublic-demo" --data-urlencode "next=" "$base/login"
  awk '$6 == "gp_session" { print "gp_session=" $7 }' "$jar"
  rm -f "$jar"
}

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
measure coordinator@gospublic.test "/r/$region/dashboard?municipality=$municipality"
measure coordinator@gospublic.test "/r/$region/dashboard/orgs?flag=not_verified&municipality=$municipality"
measure barnaul@gospublic.test "/r/$region/dashboard"
measure operator@gospublic.test "/operator/overview"
measure coordinator@gospublic.test "/r/$region/dashboard/export?table=municipality&format=xlsx"
measure coordinator@gospublic.test "/r/$region/dashboard/pages.xlsx"

echo "== the same SQL in psql, per screen (sum of its statements; best of 5 runs)"
for run in 1 2 3 4 5; do
  psql -X -h 127.0.0.1 -U postgres -d "$name" -f bench/dashboard.sql 2>/dev/null | sed "s/^/$run /"
done | awk '$2 == "==" { key = $1 SUBSEP substr($0, index($0, "==") + 3); if (!(key in sum)) sum[key] = 0; label[key] = substr($0, index($0, "==") + 3); next }
  $2 == "Time:" { sum[key] += $3 }
  END { for (k in sum) { n = label[k]; if (!(n in best) || sum[k] < best[n]) best[n] = sum[k] }
        for (n in best) printf "%-32s %8.1f ms\n", n, best[n] }' | sort
