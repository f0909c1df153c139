#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster on another port, the app serving the
# demo with DATABASE_URL on the primary and DATABASE_READ_URL on the replica, and a count of
# where each kind of statement went, read from both servers' statement logs.
#
# What it checks:
#   - the dashboards, the federal overview, exports, the public directory and the API's
#     registry reads run on the replica;
#   - sign-in, sessions, audit entries and form writes run on the primary, and nothing is
#     written on the replica (it would refuse);
#   - right after a write, the writer's next read waits for the replica to replay it.
#
# Usage: bench/replica.sh            (leaves the replica running; STOP=1 stops it at the end)
# Needs root (it runs pg_basebackup and pg_ctl as the postgres user) and allows replication
# connections from 127.0.0.1 in the primary's pg_hba.conf if they are not allowed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
name=gospublic_replica_demo
primary="postgres://postgres@127.0.0.1:5432/$name"
port="${BENCH_PORT:-18085}"
base="http://127.0.0.1:$port"
out="target/bench"; mkdir -p "$out"
psql_primary() { psql -X -h 127.0.0.1 -U postgres "$@"; }

. bench/common.sh

# The demo database, made by the app itself.
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$name"
createdb -h 127.0.0.1 -U postgres "$name"

. bench/start-replica.sh
trap '[ "${STOP:-0}" = 1 ] && stop_replica; kill "${server:-0}" 2>/dev/null || true' EXIT
replica="postgres://postgres@127.0.0.1:$replica_port/$name"

# The primary logs every statement of the demo database too, for the comparison.
psql_primary -qc "alter database $name set log_statement = 'all'"
primary_log="$(ls /var/log/postgresql/postgresql-*-main.log | sort -V | tail -1)"

DATABASE_URL="$primary" DATABASE_READ_URL="$replica" RUST_LOG=warn "$bin" serve --demo \
  --bind "127.0.0.1:$port" --secure-cookies=false > "$out/replica-server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# The demo's rows reach the replica before anything is asked of it.
lsn="$(psql_primary -d "$name" -Atc 'select pg_current_wal_lsn()')"
until [ "$(psql -X -h 127.0.0.1 -p "$replica_port" -U postgres -Atc "select pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do sleep 0.2; done

primary_from="$(stat -c %s "$primary_log")"
replica_from="$(stat -c %s "$replica_log")"
coordinator="$(session coordinator@gospublic.test)"
operator="$(session operator@gospublic.test)"
get() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $1" "$base$2"; }
declare -A screens=(
  [dashboard]="$coordinator|/r/altai-krai/dashboard"
  [drill-down]="$coordinator|/r/altai-krai/dashboard/orgs?flag=not_verified"
  [page-export]="$coordinator|/r/altai-krai/dashboard/pages.xlsx"
  [federal]="$operator|/operator/overview"
  [directory]="|/r/altai-krai/directory?q=школа"
  [card-check]="|/r/altai-krai/check?url=vk.com/club1"
  [open-data]="|/r/altai-krai/opendata/pages.csv"
)
for kind in "${!screens[@]}"; do
  IFS='|' read -r cookie path <<< "${screens[$kind]}"
  code="$(get "$cookie" "$path")"
  [ "$code" = 200 ] || { echo "$kind $path answered $code" >&2; exit 1; }
done
token="$(DATABASE_URL="$primary" "$bin" api-token create --region altai-krai --name replica-check --scopes registry:read 2>/dev/null | tail -1)"
api="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/organizations")"
sleep 1

count() { tail -c +"$(( $2 + 1 ))" "$1" | grep -c -E "$3" || true; }
echo "== statements logged on each server during the requests (demo database)"
printf '%-44s %8s %8s\n' "statement" primary replica
for pair in \
  "coverage (dashboard, drill-down, summary)|from coverage_facts" \
  "federal overview|join region_coverage" \
  "page cards (dashboard, page export)|from pages p join organizations o" \
  "directory search|search_words" \
  "open data rows|official|order by p.id limit" \
  "session writes|(insert into|update) sessions" \
  "audit entries|insert into audit_log" \
  "any insert/update/delete|LOG:  statement: (insert|update|delete)|execute [^:]+: (insert|update|delete)"; do
  label="${pair%%|*}"; pattern="${pair#*|}"
  printf '%-44s %8s %8s\n' "$label" "$(count "$primary_log" "$primary_from" "$pattern")" "$(count "$replica_log" "$replica_from" "$pattern")"
done
echo "API registry read: HTTP $api"

echo "== read-your-writes: a write, then the writer's next read"
jar="$(mktemp)"
csrf="$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=coordinator@gospublic.test" \
  --data-urlencode "password=gospublic-demo" --data-urlencode "next=" "$base/login"
written="$(awk '$6 == "gp_written" { print $7 }' "$jar")"
echo "the write left its WAL position in the browser: ${written:-none}"
echo "replica replayed: $(psql -X -h 127.0.0.1 -p "$replica_port" -U postgres -Atc 'select pg_last_wal_replay_lsn()')"
rm -f "$jar"
psql_primary -qc "alter database $name reset log_statement"
