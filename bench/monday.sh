#!/usr/bin/env bash
# Monday morning on the national data set through an ordinary load balancer: two app
# instances behind nginx (Debian's package), optionally reading from a streaming replica,
# under bench/monday.py's coordinators, editors, residents and VK webhooks.
#
# Usage: bench/monday.sh [SECONDS] [options]
#   --kill-instance-at S   kill -9 the first instance S seconds in (nginx carries on with the other)
#   --restart-db-at S      stop PostgreSQL S seconds in, start it again 20 s later
#   --replica              reads go to a streaming replica (bench/start-replica.sh)
# Environment: COORDINATORS, EDITORS, RESIDENTS (browsers at once), PLATFORMS (threads posting
# VK webhook events) and WEBHOOK_RATE (events a second each), GOSPUBLIC_BIN.
# The data set is bench/dashboard-bench.sh's (gospublic seed-scale), made if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"; shift || true
kill_at=""; restart_at=""; replica=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kill-instance-at) kill_at="$2"; shift 2 ;;
    --restart-db-at) restart_at="$2"; shift 2 ;;
    --replica) replica=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
name=gospublic_bench_scale
db="postgres://postgres@127.0.0.1:5432/$name"
lb_port="${BENCH_PORT:-18090}"
ports=(18091 18092)
out="target/bench"; mkdir -p "$out"
command -v nginx >/dev/null || { echo "nginx is needed: apt-get install nginx-light" >&2; exit 1; }
psql_db() { psql -X -h 127.0.0.1 -U postgres -d "$name" "$@"; }

. bench/common.sh
seeded="$(psql_db -Atc "select count(*) from regions" 2>/dev/null || echo 0)"
if [ "$seeded" != 89 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
  DATABASE_URL="$db" RUST_LOG=warn "$bin" seed-scale --seed 1
fi
# Migrations first, once, so two instances starting together do not race for them.
DATABASE_URL="$db" "$bin" migrate >/dev/null

# The people of the morning, with the demo password: a coordinator of each of the 20 largest
# regions, an editor of each of the 200 organizations with the most open questions.
psql_db -q <<'SQL'
insert into users (email, name, password_hash, is_demo)
select 'coord-' || r.slug || '@bench.test', 'Координатор ' || r.name,
       (select password_hash from users where email = 'coordinator@gospublic.test'), true
from regions r
where r.id in (select region_id from organizations group by region_id order by count(*) desc limit 20)
on conflict (email) do nothing;
insert into memberships (region_id, user_id, role)
select r.id, u.id, 'coordinator' from users u join regions r on u.email = 'coord-' || r.slug || '@bench.test'
on conflict do nothing;
create temporary table busy as
select q.region_id, q.organization_id from questions q
where q.status in ('new', 'in_progress') group by 1, 2 order by count(*) desc limit 200;
insert into users (email, name, password_hash, is_demo)
select 'editor-' || b.organization_id || '@bench.test', 'Редактор ' || b.organization_id,
       (select password_hash from users where email = 'coordinator@gospublic.test'), true
from busy b on conflict (email) do nothing;
insert into memberships (region_id, user_id, role, organization_id)
select b.region_id, u.id, 'editor', b.organization_id
from busy b join users u on u.email = 'editor-' || b.organization_id || '@bench.test'
on conflict do nothing;
analyze users; analyze memberships;
SQL
# VK connected, once, on a page of each of those 20 regions: residents' comments arrive
# through these webhooks all morning.
psql_db -At -F' ' <<'SQL' | while read -r slug page group; do
select r.slug,
       (select p.id from pages p where p.region_id = r.id and p.platform = 'vk'
          and not exists (select 1 from channel_connections c where c.page_id = p.id and c.revoked_at is null)
        order by p.id limit 1),
       219000000 + r.id
from regions r
where r.id in (select ms.region_id from memberships ms join users u on u.id = ms.user_id
               where ms.role = 'coordinator' and u.email like 'coord-%@bench.test')
  and not exists (select 1 from channel_connections c where c.region_id = r.id and c.group_id = 219000000 + r.id
                  and c.revoked_at is null);
SQL
  DATABASE_URL="$db" GOSPUBLIC_BASE_URL="http://127.0.0.1:$lb_port" "$bin" channel add vk --region "$slug" \
    --page "$page" --group-id "$group" --confirmation bench --secret bench-secret >/dev/null
done
accounts="$out/monday-accounts.txt"
psql_db -At -F' ' <<'SQL' > "$accounts"
select 'coordinator', r.slug, u.email,
       (select string_agg(m.id::text, ',') from (select id from municipalities where region_id = r.id order by id limit 10) m)
from users u join memberships ms on ms.user_id = u.id and ms.role = 'coordinator'
join regions r on r.id = ms.region_id where u.email like 'coord-%@bench.test';
-- Only editors with open questions left (an earlier run may have answered some queues dry).
select 'editor', r.slug, u.email
from users u join memberships ms on ms.user_id = u.id and ms.role = 'editor'
join regions r on r.id = ms.region_id
where u.email like 'editor-%@bench.test'
  and exists (select 1 from questions q where q.region_id = ms.region_id and q.organization_id = ms.organization_id
              and q.status in ('new', 'in_progress'))
limit 200;
select 'card', r.slug, o.id from organizations o join regions r on r.id = o.region_id
where not o.exempt and o.archived_at is null and o.id % 50 = 0;
select 'hook', c.group_id, '/hooks/vk/' || c.hook_token from channel_connections c
where c.group_id between 219000000 and 219999999 and c.revoked_at is null;
SQL
echo "accounts: $(grep -c '^coordinator' "$accounts") coordinators, $(grep -c '^editor' "$accounts") editors, $(grep -c '^card' "$accounts") cards, $(grep -c '^hook' "$accounts") webhooks"

read_url=""
if [ "$replica" = 1 ]; then
  . bench/start-replica.sh
  read_url="postgres://postgres@127.0.0.1:$replica_port/$name"
fi

pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$out/nginx.pid" ] && kill "$(cat "$out/nginx.pid")" 2>/dev/null || true
}
trap stop_all EXIT
for p in "${ports[@]}"; do
  DATABASE_URL="$db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$p" ${read_url:+--database-read-url "$read_url"} \
    --secure-cookies=false --trusted-proxies 127.0.0.1 > "$out/monday-server-$p.log" 2>&1 &
  pids+=($!)
done
for p in "${ports[@]}"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
done

# nginx: round robin over both; a request that could not reach an instance (refused, reset
# before an answer) goes to the other, which nginx does for POSTs only when nothing was sent.
conf="$(pwd)/$out/nginx.conf"
cat > "$conf" <<CONF
worker_processes 1;
pid $(pwd)/$out/nginx.pid;
error_log $(pwd)/$out/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream gospublic {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=5s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    client_max_body_size 20m;
    location / {
      proxy_pass http://gospublic;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502;
      proxy_read_timeout 60s;
    }
  }
}
CONF
nginx -c "$conf" -e "$(pwd)/$out/nginx-error.log"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$lb_port/healthz" >/dev/null && break; sleep 0.2; done

if [ -n "$kill_at" ]; then
  ( sleep "$kill_at"; echo "fault: kill -9 the instance on ${ports[0]} at $(date +%T)" >&2; kill -9 "${pids[0]}" ) &
fi
if [ -n "$restart_at" ]; then
  (
    sleep "$restart_at"
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "fault: stopping PostgreSQL at $(date +%T)" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop -m fast
    sleep 10
    echo "fault: readyz through the balancer while down: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$lb_port/readyz")" >&2
    sleep 10
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    echo "fault: PostgreSQL started again at $(date +%T)" >&2
  ) &
fi

pid_args=()
for p in "${pids[@]}"; do pid_args+=(--pid "$p"); done
python3 bench/monday.py --base "http://127.0.0.1:$lb_port" --accounts "$accounts" --database "$db" \
  --seconds "$seconds" --coordinators "${COORDINATORS:-4}" --editors "${EDITORS:-6}" --residents "${RESIDENTS:-4}" \
  --platforms "${PLATFORMS:-2}" --webhook-rate "${WEBHOOK_RATE:-5}" \
  "${pid_args[@]}" --sample-every "${BENCH_SAMPLE_EVERY:-30}" --json "$out/monday-$(date +%Y%m%d-%H%M%S).json"
