#!/usr/bin/env bash
# Installs the BigQuery emulator from PyPI (bqemulator 1.4.0 and numpy, its undeclared
# dependency) into its own virtual environment, $OPSFLOW_BQ_VENV (default .build/bqemulator-venv),
# unless it is there already. Its own environment: its pinned DuckDB/SQLGlot/pyarrow stay apart
# from the test oracles' packages.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${OPSFLOW_BQ_VENV:-$ROOT/.build/bqemulator-venv}
if ! "$VENV/bin/python" -c 'import bqemulator, numpy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'bqemulator==1.4.0' numpy
fi
