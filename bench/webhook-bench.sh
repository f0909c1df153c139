#!/usr/bin/env bash
# VK events posted at a fixed rate to a connected page's webhook, against the release build:
# acknowledgement latency, then how long each event took to become a question (from the
# events table), duplicates and losses. Usage: bench/webhook-bench.sh [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-100}"; seconds="${2:-60}"
name="gospublic_webhook_bench"
db="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18084}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
page="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc "select id from pages where platform = 'vk' order by id limit 1")"
hook="$(DATABASE_URL="$db" GOSPUBLIC_BASE_URL="$base" "$bin" channel add vk --region altai-krai --page "$page" \
  --group-id 218000001 --confirmation bench --secret bench-secret 2>/dev/null)"
DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --secure-cookies=false \
  --base-url "$base" > "$out/webhook-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
python3 bench/webhook_load.py "$hook" 218000001 bench-secret "$rate" "$seconds"
# Every acknowledged event becomes a question within seconds; wait for the last ones.
for _ in $(seq 1 30); do
  left="$(psql -h 127.0.0.1 -U postgres -d "$name" -Atc "select count(*) from channel_events where processed_at is null")"
  [ "$left" = 0 ] && break; sleep 1
done
psql -h 127.0.0.1 -U postgres -d "$name" -Atc "
  select 'events stored: ' || count(*) || ', not processed: ' || count(*) filter (where processed_at is null)
         || ', to a question: p50 ' || round(1000 * extract(epoch from percentile_cont(0.5) within group (order by processed_at - received_at))::numeric) || ' ms'
         || ', p99 ' || round(1000 * extract(epoch from percentile_cont(0.99) within group (order by processed_at - received_at))::numeric) || ' ms'
         || ', max ' || round(1000 * extract(epoch from max(processed_at - received_at))::numeric) || ' ms'
  from channel_events where kind = 'wall_reply_new'"
psql -h 127.0.0.1 -U postgres -d "$name" -Atc "
  select 'questions from VK: ' || count(*) || ', duplicated comments: ' || (count(*) - count(distinct external_id))
  from questions where channel = 'comment' and external_id like 'wall%'"
