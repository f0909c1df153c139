#!/usr/bin/env bash
# The inbox under load on a region with many questions, against the release build on
# loopback: first page latency (p50, p99) for an editor of one school and for the region's
# coordinator (every question in scope), measured with wrk at a fixed concurrency.
# Usage: bench/inbox-bench.sh [QUESTIONS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-500000}"; seconds="${2:-30}"; connections="${3:-8}"
db="postgres://postgres@127.0.0.1:5432/gospublic_bench_inbox"
port="${BENCH_PORT:-18081}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force gospublic_bench_inbox
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
region="$(psql -h 127.0.0.1 -U postgres -d gospublic_bench_inbox -Atc "select id from regions where slug = 'altai-krai'")"
start=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d gospublic_bench_inbox -v region="$region" -v count="$count" -f bench/gen_questions.sql
echo "generated $count questions in $(echo "$(date +%s.%N) - $start" | bc) s"
psql -h 127.0.0.1 -U postgres -d gospublic_bench_inbox -Atc \
  "select 'questions: ' || count(*) || ', open: ' || count(*) filter (where status in ('new','in_progress')) || ', overdue: ' || count(*) filter (where due_at <= now()) from questions"

DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  > "$out/inbox-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

measure() {
  local who="$1" path="$2" cookie
  cookie="$(session "$who")"
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")"
  [ "$code" = 200 ] || { echo "$who $path answered $code" >&2; exit 1; }
  echo "== $who GET $path ($connections connections, $seconds s)"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$path" \
    | grep -E 'Requests/sec|50%|75%|90%|99%|Non-2xx|Socket errors'
}

measure editor@gospublic.test /r/altai-krai/questions
measure editor@gospublic.test "/r/altai-krai/questions?due=overdue"
measure coordinator@gospublic.test /r/altai-krai/questions
measure coordinator@gospublic.test "/r/altai-krai/questions?status=all&category=%D0%94%D0%BE%D1%80%D0%BE%D0%B3%D0%B8"
measure coordinator@gospublic.test /r/altai-krai/questions/overdue
