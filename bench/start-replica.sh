# Sourced by the benchmark scripts: a fresh streaming replica of the local cluster on
# $replica_port (5433), from a base backup with standby settings (pg_basebackup -R) into its
# own data directory, started with pg_ctl and logging every statement to
# target/bench/replica-postgres.log. Sets replica_port, replica_log and stop_replica.
# Allows replication connections from 127.0.0.1 in the primary's pg_hba.conf if needed.
replica_port="${REPLICA_PORT:-5433}"
replica_data="${REPLICA_DATA:-/var/lib/postgresql/replica-bench}"
replica_log="$(pwd)/target/bench/replica-postgres.log"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_postgres() { runuser -u postgres -- "$@"; }
stop_replica() { as_postgres "$pg_bin/pg_ctl" -D "$replica_data" -m fast stop >/dev/null || true; }

hba="$(psql -X -h 127.0.0.1 -U postgres -Atc 'show hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$hba"
  psql -X -h 127.0.0.1 -U postgres -qAtc 'select pg_reload_conf()' >/dev/null
fi
if [ -f "$replica_data/postmaster.pid" ]; then stop_replica; fi
rm -rf "$replica_data"
echo "== base backup of the cluster into $replica_data"
as_postgres "$pg_bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$replica_data" -R -X stream -c fast
cat > "$replica_data/postgresql.conf" <<CONF
port = $replica_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 100
shared_buffers = 512MB
log_statement = '${REPLICA_LOG_STATEMENT:-all}'
log_line_prefix = '%m [%p] %u@%d '
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$replica_data/pg_hba.conf"
chown postgres:postgres "$replica_data/postgresql.conf" "$replica_data/pg_hba.conf"
mkdir -p "$(dirname "$replica_log")"; : > "$replica_log"; chown postgres "$replica_log"
as_postgres "$pg_bin/pg_ctl" -D "$replica_data" -l "$replica_log" -w start >/dev/null
echo "replica on port $replica_port, in recovery: $(psql -X -h 127.0.0.1 -p "$replica_port" -U postgres -Atc 'select pg_is_in_recovery()')"
