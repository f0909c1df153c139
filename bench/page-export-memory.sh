#!/usr/bin/env bash
# The page workbook of a region with many pages, downloaded by its coordinator: how long the
# download takes against the same rows read in psql, and the server's resident memory before,
# at its peak (VmHWM) and after. The rows stream from the database into a worksheet kept in
# constant-memory mode and the zipped file into the response, so the memory should not grow
# with the file. Usage: bench/page-export-memory.sh [PAGES] [xlsx|csv]
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-50000}"; fmt="${2:-xlsx}"
name="gospublic_page_export"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18086}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
psql_db() { psql -X -h 127.0.0.1 -U postgres -d "$name" "$@"; }
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
# The demo region grows to $pages pages: organizations with a VK and an OK page each, and a
# week of figures for each page; then the planner learns the new sizes.
psql_db -q -v pages="$pages" <<'SQL'
insert into organizations (region_id, name, inn, ogrn, level, municipality_id)
select r.id, 'Учреждение для выгрузки № ' || g, lpad((7000000000 + g)::text, 10, '0'),
       lpad((1000000000000 + g)::text, 13, '0'), 'municipal_institution',
       (select min(id) from municipalities m where m.region_id = r.id) + g % 10
from regions r cross join generate_series(1, :pages / 2) g where r.slug = 'altai-krai';
insert into pages (region_id, organization_id, platform, url_key, url)
select o.region_id, o.id, p.platform, p.platform || '.example/export' || o.id, 'https://' || p.platform || '.example/export' || o.id
from organizations o cross join (values ('vk'), ('ok')) p(platform) where o.name like 'Учреждение для выгрузки%';
insert into page_snapshots (region_id, page_id, week, followers, posts, views, reach, last_post_on, source)
select p.region_id, p.id, date_trunc('week', now())::date - 7, 1000 + p.id % 500, p.id % 7, 5000, 900, current_date - 3, 'manual'
from pages p where p.url_key like '%.example/export%';
analyze organizations; analyze pages; analyze page_snapshots; analyze page_latest; analyze coverage_facts;
SQL
echo "pages in the region: $(psql_db -Atc "select count(*) from pages p join regions r on r.id = p.region_id where r.slug = 'altai-krai'")"

DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/page-export-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
memory() { awk '/VmHWM|VmRSS/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status"; echo; }
cookie="$(session coordinator@gospublic.test)"
path="/r/altai-krai/dashboard/pages.xlsx"; [ "$fmt" = csv ] && path="$path?format=csv"
curl -s -o /dev/null -H "Cookie: $cookie" "$base/r/altai-krai/dashboard"
printf "started:     "; memory
for run in 1 2 3; do
  start=$(date +%s.%N)
  size="$(curl -s -o "$out/pages-export.$fmt" -w '%{size_download}' -H "Cookie: $cookie" "$base$path")"
  printf 'download %s: %.2f s, %d kB  ' "$run" "$(echo "$(date +%s.%N) - $start" | bc)" "$((size / 1024))"; memory
done
sleep 1; printf 'idle:        '; memory
region="$(psql_db -Atc "select id from regions where slug = 'altai-krai'")"
echo "== the same rows in psql (the export's statement, best of 3)"
for _ in 1 2 3; do
  psql_db -At <<SQL | grep -E '^Time' | sed 's/Time: //'
\timing on
\o /dev/null
set jit = off;
select p.id, p.organization_id, o.name, p.platform, p.url, p.title, p.mark_status, p.mark_since, p.connected,
       p.category, p.has_avatar, p.has_cover, p.has_description, p.has_contacts, p.widgets, p.comments_open,
       p.checklist, m.name, o.inn, l.week, l.followers, l.posts, l.views, l.likes, l.comments, l.reposts,
       l.reach, l.last_post_on
from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
left join page_latest l on l.page_id = p.id
where p.region_id = $region and o.archived_at is null
order by m.name nulls first, o.name, p.platform, p.url, p.id;
SQL
done | awk 'NR % 2 == 0' | sort -n | head -1
