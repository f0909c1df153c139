#!/usr/bin/env bash
# The server's memory while it previews and commits a large registry through the web, as an
# admin uploads it: resident memory before, the peak (VmHWM) and resident memory after each
# step, read from /proc. Usage: bench/import-memory.sh [ROWS] [csv|xlsx]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"; fmt="${2:-xlsx}"
name="gospublic_import_memory"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18082}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
file="$out/orgs-$rows.$fmt"
[ -f "$file" ] || python3 bench/gen_orgs.py "$rows" "$file"
echo "== $file ($(du -h "$file" | cut -f1))"

DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  --base-url "$base" > "$out/import-memory-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

memory() { awk '/VmHWM|VmRSS/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status"; echo; }
cookie="$(session admin@gospublic.test)"
csrf() { curl -s -H "Cookie: $cookie" "$base/r/altai-krai/imports" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
printf "started:   "; memory
token="$(csrf)"
start=$(date +%s.%N)
location="$(curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $cookie" -F "csrf=$token" -F kind=organizations \
  -F "file=@$file" "$base/r/altai-krai/imports")"
printf 'preview:   %.2f s  ' "$(echo "$(date +%s.%N) - $start" | bc)"; memory
[ -n "$location" ] || { echo "the upload was not accepted" >&2; exit 1; }
sleep 2; printf 'idle:      '; memory
start=$(date +%s.%N)
curl -s -o /dev/null -H "Cookie: $cookie" --data-urlencode "csrf=$token" "$location/commit"
printf 'commit:    %.2f s  ' "$(echo "$(date +%s.%N) - $start" | bc)"; memory
sleep 2; printf 'idle:      '; memory
start=$(date +%s.%N)
curl -s -o /dev/null -H "Cookie: $cookie" "$base/r/altai-krai/imports"
printf 'imports list: %.3f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
psql -h 127.0.0.1 -U postgres -d "$name" -Atc "select 'organizations: ' || count(*) from organizations"
