#!/usr/bin/env bash
# One year of questions against three: the inbox (an editor of the busiest organization and
# the region's coordinator), the inbox search and the region dashboard, on a region the size
# of the national data set's largest (2,476 organizations, 4,393 pages, 122,000 questions a
# year), once with a year of history and once with three. It says whether the screens grow
# with the history kept, that is, when the questions table needs partitioning by month.
# Each data set is that region beside the demo region (seed-scale --regions 2), made once and
# reused; set RESEED=1 to make them again.
# With NATIONAL=1 the two data sets are the whole country instead: seed-scale's 89 regions
# with a year of questions (5 million, gospublic_bench_scale, shared with dashboard-bench.sh)
# and with three (15 million, gospublic_bench_scale_3y, about half an hour to make); the
# screens are those of the largest region, and the federal overview is measured too.
# YEARS=1 measures the one-year data set alone.
# Usage: bench/history-bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"; connections="${2:-1}"
port="${BENCH_PORT:-18093}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
. bench/common.sh

per_year=122000
phrase="$(python3 -c 'import urllib.parse; print(urllib.parse.quote("отремонтируют дорогу"))')"
# A narrow search: the questions numbered 1234, 12340–12349, 123400–123499… of the region.
narrow="$(python3 -c 'import urllib.parse; print(urllib.parse.quote("вопрос 1234"))')"

national="${NATIONAL:-0}"
data_set() {
  if [ "$national" = 1 ]; then
    if [ "$1" = 1 ]; then echo gospublic_bench_scale; else echo "gospublic_bench_scale_${1}y"; fi
  else
    echo "gospublic_bench_history_${1}y"
  fi
}
seed() {
  if [ "$national" = 1 ]; then
    "$bin" seed-scale --seed 1 --questions $((5000000 * $1)) --question-days $((365 * $1))
  else
    "$bin" seed-scale --seed 1 --regions 2 --organizations 3070 \
      --pages 5233 --questions $((per_year * $1 + 400)) --question-days $((365 * $1))
  fi
}

for years in ${YEARS:-1 3}; do
  name="$(data_set $years)"
  db="postgres://postgres@127.0.0.1:5432/$name"
  psql_db() { psql -X -h 127.0.0.1 -U postgres -d "$name" "$@"; }
  seeded="$(psql_db -Atc "select count(*) from questions" 2>/dev/null || echo 0)"
  if [ "${RESEED:-0}" = 1 ] || [ "$seeded" -lt $((per_year * years)) ]; then
    dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
    start=$(date +%s)
    DATABASE_URL="$db" RUST_LOG=warn seed $years >/dev/null
    echo "seeded $years year(s) in $(( $(date +%s) - start )) s"
  fi
  region="$(psql_db -Atc "select r.slug from regions r join questions q on q.region_id = r.id group by r.slug order by count(*) desc limit 1")"
  # An editor of the region's organization with the most questions, with the demo password.
  psql_db -q -v region="$region" <<'SQL'
create temporary table busiest as
select q.region_id, q.organization_id from questions q join regions r on r.id = q.region_id
where r.slug = :'region' group by 1, 2 order by count(*) desc limit 1;
insert into users (email, name, password_hash, is_demo)
select 'editor-busiest@bench.test', 'Редактор', (select password_hash from users where email = 'coordinator@gospublic.test'), true
on conflict (email) do nothing;
delete from memberships where user_id = (select id from users where email = 'editor-busiest@bench.test');
insert into memberships (region_id, user_id, role, organization_id)
select b.region_id, u.id, 'editor', b.organization_id from busiest b join users u on u.email = 'editor-busiest@bench.test'
on conflict do nothing;
analyze users; analyze memberships;
SQL
  echo "== $years year(s): $(psql_db -Atc "select count(*) || ' questions, ' || pg_size_pretty(pg_total_relation_size('questions')) || ' with indexes; the region: ' || count(*) filter (where region_id = (select id from regions where slug = '$region')) || '; busiest organization: ' || (select count(*) from questions where organization_id = (select organization_id from memberships m join users u on u.id = m.user_id where u.email = 'editor-busiest@bench.test')) from questions")"

  DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
    > "$out/history-server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

  measure() {
    local who="$1" path="$2" cookie code
    cookie="$(session "$who")"
    code="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: $cookie" "$base$path")"
    [ "$code" = "200 " ] || {
      echo "$who $path answered $code (session cookie: ${cookie:-none}); the server's log ends:" >&2
      tail -5 "$out/history-server.log" >&2
      exit 1
    }
    printf '%-28s %-60s ' "$who" "$path"
    wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
      | awk '/ 50%/ { p50 = $2 } / 99%/ { p99 = $2 } /Requests\/sec/ { rps = $2 } END { print "p50 " p50 ", p99 " p99 ", " rps "/s" }'
  }
  measure editor-busiest@bench.test "/r/$region/questions"
  measure editor-busiest@bench.test "/r/$region/questions?status=all"
  measure editor-busiest@bench.test "/r/$region/questions?status=all&q=$phrase"
  measure editor-busiest@bench.test "/r/$region/questions?status=all&q=$narrow"
  measure coordinator@gospublic.test "/r/$region/questions"
  measure coordinator@gospublic.test "/r/$region/questions?status=all"
  measure coordinator@gospublic.test "/r/$region/questions?status=all&q=$phrase"
  measure coordinator@gospublic.test "/r/$region/questions?status=all&q=$narrow"
  measure coordinator@gospublic.test "/r/$region/dashboard"
  measure coordinator@gospublic.test "/r/$region/dashboard?days=365"
  if [ "$national" = 1 ]; then
    measure operator@gospublic.test "/operator/overview"
    measure coordinator@gospublic.test "/r/$region/dashboard/pages.xlsx"
  fi
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
done
