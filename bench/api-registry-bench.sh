#!/usr/bin/env bash
# The registry read through the API: every page of the largest region of the national data set
# (`seed-scale`), 1,000 rows a request, following next_cursor to the end, as a mirroring system
# does. Reports rows per second, the slowest request, and the server's resident memory before,
# during and after (it should stay flat: each request holds one page of rows, never the region).
# Usage: bench/api-registry-bench.sh [REGIONS] [PAGES]   (defaults: the national 89 / 175,000)
set -euo pipefail
cd "$(dirname "$0")/.."
regions="${1:-89}"; pages="${2:-175000}"
name="gospublic_bench_api"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18085}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-scale --regions "$regions" --pages "$pages" \
  --organizations $((pages * 4 / 7)) --questions 10000 --weeks 2 >/dev/null 2>&1
slug="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select r.slug from regions r join pages p on p.region_id = r.id group by r.slug order by count(*) desc limit 1")"
rows="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select count(*) from pages p join regions r on r.id = p.region_id where r.slug = '$slug'")"
token="$(DATABASE_URL="$db" "$bin" api-token create --region "$slug" --name bench --scopes registry:read)"
DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  --api-requests-per-minute 100000 > "$out/api-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
echo "largest region: $slug, $rows pages; server memory before: $(rss) kB"
python3 - "$base" "$token" "$server" <<'PY'
import json, sys, time, urllib.request
base, token, pid = sys.argv[1], sys.argv[2], sys.argv[3]
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
cursor, rows, slowest, peak, requests = None, 0, 0.0, 0, 0
start = time.perf_counter()
while True:
    url = f"{base}/api/v1/pages?limit=1000" + (f"&cursor={cursor}" if cursor else "")
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    t = time.perf_counter()
    page = json.load(urllib.request.urlopen(req))
    slowest = max(slowest, time.perf_counter() - t)
    rows += len(page["items"]); requests += 1; peak = max(peak, rss())
    cursor = page["next_cursor"]
    if not cursor:
        break
took = time.perf_counter() - start
print(f"read {rows} pages in {requests} requests, {took:.2f} s: {rows / took:.0f} rows/s; "
      f"slowest request {slowest * 1000:.0f} ms; server memory peak during: {peak} kB")
PY
echo "server memory after: $(rss) kB"
