#!/usr/bin/env bash
# Starts a streaming standby (a read replica) of the PostgreSQL 15 server at 127.0.0.1:5432 on port 5433,
# for the replica test (src/db/replica.test.ts) and to try DATABASE_REPLICA_URL by hand. Idempotent: a
# standby that runs and streams is left alone; a stopped one is started; one that cannot catch up (the
# primary no longer has the WAL it needs) or a half-made directory is made again with pg_basebackup.
#
#   scripts/start-standby.sh          then  TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/test
#
# Settings (environment): PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432), STANDBY_PORT (5433),
# STANDBY_DIR (/var/lib/postgresql/15/standby), PG_BIN (/usr/lib/postgresql/15/bin).
# Run as root (CI) or as the postgres OS user. If the primary's pg_hba.conf does not let 127.0.0.1 make
# replication connections, a trust line for it is added and the primary reloads its configuration.
set -euo pipefail

PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
STANDBY_PORT="${STANDBY_PORT:-5433}"
STANDBY_DIR="${STANDBY_DIR:-/var/lib/postgresql/15/standby}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

say() { echo "start-standby: $*"; }
# the server's files belong to the postgres OS user
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
primary_sql() { psql -X -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"; }
standby_sql() { psql -X -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d postgres -Atqc "$1"; }

# true when the standby answers, is in recovery and its WAL receiver streams from the primary
streaming() {
  [ "$(standby_sql "select pg_is_in_recovery() and exists (select 1 from pg_stat_wal_receiver where status = 'streaming')" 2>/dev/null)" = "t" ]
}

wait_streaming() {
  for _ in $(seq 1 60); do
    streaming && return 0
    sleep 0.5
  done
  return 1
}

primary_sql "select 1" >/dev/null || { say "the primary at $PRIMARY_HOST:$PRIMARY_PORT does not answer"; exit 1; }

# 1. replication connections from 127.0.0.1 allowed on the primary?
if ! psql -X "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" -Atqc "IDENTIFY_SYSTEM" >/dev/null 2>&1; then
  hba="$(primary_sql "show hba_file")"
  say "allowing replication connections from 127.0.0.1 in $hba"
  echo "host    replication     all             127.0.0.1/32            trust   # added by coverdesk scripts/start-standby.sh" >>"$hba"
  primary_sql "select pg_reload_conf()" >/dev/null
  sleep 1
  psql -X "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" -Atqc "IDENTIFY_SYSTEM" >/dev/null ||
    { say "the primary still refuses replication connections (see $hba)"; exit 1; }
fi

# 2. already running and streaming: nothing to do
if streaming; then
  say "standby on port $STANDBY_PORT already streaming from $PRIMARY_HOST:$PRIMARY_PORT"
  exit 0
fi

stop_standby() { as_pg "$PG_BIN/pg_ctl" -D "$STANDBY_DIR" -m fast -w stop >/dev/null 2>&1 || true; }

make_standby() {
  say "making a standby in $STANDBY_DIR with pg_basebackup"
  stop_standby
  rm -rf "$STANDBY_DIR"
  mkdir -p "$STANDBY_DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$STANDBY_DIR"
  chmod 700 "$STANDBY_DIR"
  as_pg "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$STANDBY_DIR" -R -X stream --checkpoint=fast
  # A hot standby needs at least the primary's values of these; Debian keeps postgresql.conf and
  # pg_hba.conf outside the data directory, so the standby gets its own.
  {
    echo "# written by coverdesk scripts/start-standby.sh"
    echo "port = $STANDBY_PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '/var/run/postgresql'"
    echo "hot_standby = on"
    echo "hot_standby_feedback = on"
    echo "logging_collector = off"
    for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
      echo "$name = $(primary_sql "show $name")"
    done
  } | as_pg tee "$STANDBY_DIR/postgresql.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$STANDBY_DIR/pg_hba.conf" >/dev/null
}

start_standby() {
  as_pg "$PG_BIN/pg_ctl" -D "$STANDBY_DIR" -l "$STANDBY_DIR/standby.log" -w -t 60 start >/dev/null
}

# 3. a standby directory that starts and catches up is kept; anything else is made again
if [ -f "$STANDBY_DIR/standby.signal" ] && [ -f "$STANDBY_DIR/postgresql.conf" ]; then
  say "starting the standby in $STANDBY_DIR"
  if (as_pg "$PG_BIN/pg_ctl" -D "$STANDBY_DIR" status >/dev/null 2>&1 || start_standby) && wait_streaming; then
    say "standby on port $STANDBY_PORT streaming from $PRIMARY_HOST:$PRIMARY_PORT"
    exit 0
  fi
  say "the standby does not stream (see $STANDBY_DIR/standby.log): making it again"
fi
make_standby
start_standby
wait_streaming || { say "the standby does not stream (see $STANDBY_DIR/standby.log)"; exit 1; }
say "standby on port $STANDBY_PORT streaming from $PRIMARY_HOST:$PRIMARY_PORT"
