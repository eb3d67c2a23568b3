#!/usr/bin/env bash
# Stops a cluster started by scripts/pg_start.sh and removes its folder.
# usage: scripts/pg_stop.sh DIR     (DIR defaults to $OPSFLOW_PG_DIR)
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${1:-${OPSFLOW_PG_DIR:-}}
[ -n "$DIR" ] && [ -d "$DIR/data" ] || { echo "no cluster folder given" >&2; exit 1; }
case "$DIR" in /tmp/opsflow-pg.*) ;; *) echo "refusing to remove $DIR (not made by pg_start.sh)" >&2; exit 1;; esac
if [ "$(id -u)" = 0 ]; then
  su postgres -s /bin/sh -c "$BIN/pg_ctl -D $DIR/data -m immediate -w stop" >/dev/null 2>&1 || true
else
  "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
fi
rm -rf "$DIR"
