#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 cluster on 127.0.0.1 (trust auth, fsync off) on a free port.
# Prints shell assignments to eval:   eval "$(scripts/pg_start.sh)"
#   OPSFLOW_PG_DIR=/tmp/…  OPSFLOW_PG_PORT=54xxx
# Stop it with scripts/pg_stop.sh "$OPSFLOW_PG_DIR". Works as root (runs the server as the
# `postgres` user) or as any other user (runs it as that user).
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$BIN/initdb" ] || { echo "PostgreSQL 15 server binaries not found in $BIN (Debian package postgresql-15)" >&2; exit 1; }
PORT=${OPSFLOW_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
DIR=$(mktemp -d /tmp/opsflow-pg.XXXXXX)
run() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
run "$BIN/initdb -D $DIR/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
run "$BIN/pg_ctl -D $DIR/data -l $DIR/log -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null \
  || { cat "$DIR/log" >&2; exit 1; }
echo "OPSFLOW_PG_DIR=$DIR"
echo "OPSFLOW_PG_PORT=$PORT"
