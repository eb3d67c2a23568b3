#!/bin/sh
# BigQuery → SQLite translation benchmark (release build).
#   bench/sql_bench.sh [models] [rows]
# Prints the translation time per model for <models> generated model-sized queries (default
# 10000, the synthetic project's size) and the build time of a translated model over <rows>
# input rows (default 1000000). PACKAGE_DIR points at the package (default: this checkout).
set -eu
MODELS=${1:-10000}
ROWS=${2:-1000000}
PACKAGE_DIR=${PACKAGE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$PACKAGE_DIR"
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
OPSFLOW_SQL_BENCH_MODELS=$MODELS OPSFLOW_SQL_BENCH_ROWS=$ROWS \
  swift test -c release -Xswiftc -enable-testing --skip-build --filter BigQueryBenchmarkTests 2>&1 | grep "sql bench:"
