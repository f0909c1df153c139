#!/usr/bin/env bash
# Inbox search: an editor searching their school's questions and the region's coordinator
# searching the whole region, for words of a real question (a phrase in other word forms), at
# 1 and 8 connections. The demo school gets ORG_QUESTIONS questions and the region's other
# organizations REST_QUESTIONS more, with texts as varied as residents write them.
# Usage: bench/inbox-search-bench.sh [ORG_QUESTIONS] [REST_QUESTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
org_count="${1:-100000}"; rest_count="${2:-22000}"; seconds="${3:-20}"
name="gospublic_bench_search"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18087}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
region="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc "select id from regions where slug = 'altai-krai'")"
school="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select organization_id from memberships m join users u on u.id = m.user_id where u.email = 'editor@gospublic.test'")"
start=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d "$name" -v region="$region" -v org="$school" \
  -v org_count="$org_count" -v rest_count="$rest_count" -f bench/gen_search_questions.sql
echo "generated $((org_count + rest_count)) questions in $(echo "$(date +%s.%N) - $start" | bc) s"
psql -h 127.0.0.1 -U postgres -d "$name" -Atc \
  "select 'school: ' || count(*) filter (where organization_id = $school) || ', region: ' || count(*) from questions"

DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/search-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

# «мусор во дворе» typed as «мусора двор»: other word forms of a phrase from 1 in 12 questions.
phrase="%D0%BC%D1%83%D1%81%D0%BE%D1%80%D0%B0+%D0%B4%D0%B2%D0%BE%D1%80"
# «освещение Гагарина»: 1 in 240.
narrow="%D0%BE%D1%81%D0%B2%D0%B5%D1%89%D0%B5%D0%BD%D0%B8%D0%B5+%D0%93%D0%B0%D0%B3%D0%B0%D1%80%D0%B8%D0%BD%D0%B0"
measure() {
  local who="$1" path="$2" connections="$3" cookie
  cookie="$(session "$who")"
  local code; code="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: $cookie" "$base$path")"
  [ "$code" = "200 " ] || { echo "$who $path answered $code" >&2; exit 1; }
  echo "== $who GET $path ($connections connections, $seconds s)"
  wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
    | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
}
for c in 1 8; do
  measure editor@gospublic.test "/r/altai-krai/questions?status=all&q=$phrase" "$c"
  measure editor@gospublic.test "/r/altai-krai/questions?status=all&q=$narrow" "$c"
  measure coordinator@gospublic.test "/r/altai-krai/questions?status=all&q=$phrase" "$c"
  measure coordinator@gospublic.test "/r/altai-krai/questions?status=all&q=$narrow" "$c"
done
