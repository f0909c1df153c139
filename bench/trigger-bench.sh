#!/usr/bin/env bash
# Each monitoring-summary trigger on a 20,000-row statement, with and without the trigger, on a
# fresh demo database. Usage: bench/trigger-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
db="gospublic_trigger_bench"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$db"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" "$bin" seed-demo >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d "$db" -q -f bench/trigger-bench.sql
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$db"
