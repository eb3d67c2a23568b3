#!/usr/bin/env bash
# Stops an emulator started by scripts/bq_emulator_start.sh:  scripts/bq_emulator_stop.sh "$OPSFLOW_BQ_DIR"
set -uo pipefail
DIR=${1:?usage: bq_emulator_stop.sh DIR}
if [ -f "$DIR/pid" ]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; fi
rm -rf "$DIR"
