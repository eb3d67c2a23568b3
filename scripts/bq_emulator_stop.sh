#!/usr/bin/env bash
# Stops an emulator started by scripts/bq_emulator_start.sh:  scripts/bq_emulator_stop.sh "$OPSFLOW_BQ_DIR"
# The emulator catches SIGTERM without exiting, so it gets SIGKILL after a short grace period.
set -uo pipefail
DIR=${1:?usage: bq_emulator_stop.sh DIR}
if [ -f "$DIR/pid" ]; then
  PID=$(cat "$DIR/pid")
  kill "$PID" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$PID" 2>/dev/null || true
fi
rm -rf "$DIR"
