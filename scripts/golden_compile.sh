#!/usr/bin/env bash
# Regenerates Tests/CompileTests/Golden/<project> from dbt-core 1.12 itself (`dbt compile` with the
# duckdb adapter on a fresh database): the expected compiled SQL comes from dbt, never from OpsFlow.
# usage: scripts/golden_compile.sh [project]   (default: shop)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PROJECT=${1:-shop}
VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/dbt" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet dbt-core==1.12.0 dbt-core-experimental-parser==2.0.0a4 dbt-duckdb
fi
WORK=$(mktemp -d)
cp -r "Tests/CompileTests/Fixtures/$PROJECT" "$WORK/"
(cd "$WORK/$PROJECT" && "$VENV/bin/dbt" compile --profiles-dir . --target dev >/dev/null)
rm -rf "Tests/CompileTests/Golden/$PROJECT"
mkdir -p "Tests/CompileTests/Golden/$PROJECT"
cp -r "$WORK/$PROJECT/target/compiled/$PROJECT/." "Tests/CompileTests/Golden/$PROJECT/"
rm -rf "$WORK"
echo "wrote Tests/CompileTests/Golden/$PROJECT"
