#!/usr/bin/env bash
# The figures collector's full pass: REGIONS regions of the seeded data set, each with its VK
# read token, collected by one `gospublic collect-figures` against a VK stand-in
# (bench/vk_double.py) that answers after LATENCY seconds and refuses a token's fourth call in
# a second as VK does. Reports the pass's time, pages written, calls per method, the busiest
# second of any token and VK's refusals (0: the pass stayed within three calls a second).
# Usage: bench/collector-bench.sh [REGIONS] [PAGES] [LATENCY]   (defaults: 2 / 7,700 / 0.05 s,
#        the largest region then about the national data set's largest, 4,400 pages)
set -euo pipefail
cd "$(dirname "$0")/.."
regions="${1:-2}"; pages="${2:-7700}"; latency="${3:-0.05}"
name="gospublic_bench_collector"
db="postgres://postgres@127.0.0.1:5432/$name"
vk_port="${BENCH_VK_PORT:-18091}"
base="http://127.0.0.1:$vk_port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-scale --regions "$regions" --pages "$pages" \
  --organizations $((pages * 4 / 7)) --questions 1000 --weeks 1 >/dev/null 2>&1
python3 bench/vk_double.py "$vk_port" "$latency" > "$out/vk-double.log" 2>&1 &
double=$!
trap 'kill $double 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/stats" >/dev/null && break; sleep 0.1; done
key="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="$db" GOSPUBLIC_SECRET_KEY="$key" GOSPUBLIC_VK_API_BASE="$base" RUST_LOG=warn
for slug in $(psql -h 127.0.0.1 -U postgres -d "$name" -Atc "select slug from regions order by id"); do
  "$bin" channel read-token --region "$slug" --token "bench-read-token-$slug" >/dev/null
done
psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select 'VK pages: ' || count(*) || ' in ' || count(distinct region_id) || ' regions, the largest region ' || max(n)
   from (select region_id, count(*) over (partition by region_id) as n from pages where platform = 'vk') p"
start="$(date +%s.%N)"
claimed="$("$bin" collect-figures 2>/dev/null | tail -1)"
end="$(date +%s.%N)"
psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select 'collected today: ' || count(*) filter (where collected_on is not null)
          || ', failing: ' || count(*) filter (where last_error is not null)
          || ', kept (typed or uploaded this week): ' || count(*) filter (where kept_existing)
          || ', weeks written: ' || (select count(*) from page_snapshots where source = 'collected')
   from page_collection"
python3 - "$start" "$end" "$claimed" "$base" <<'PY'
import json, sys, urllib.request
start, end, claimed, base = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
stats = json.load(urllib.request.urlopen(f"{base}/stats"))
took = end - start
print(f"pass: {claimed} pages in {took:.1f} s ({claimed / took:.0f} pages/s); VK calls {stats['methods']}; "
      f"tokens {stats['tokens']}; busiest second of one token {stats['busiest_second']} calls; "
      f"refused for rate {stats['refused']}")
PY
