#!/usr/bin/env bash
# Parse+render benchmark: the Swift Jinja engine vs Python Jinja2 on the same 10,000 dbt-like
# model templates, in the same run. Prints per-template times, the ratio, and whether the
# outputs are byte-identical (checksums). Not a test: no timing assertions anywhere.
#   bench/jinja_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
python3 bench/jinja_bench.py generate "$DIR" "$N"
swift build -c release --product JinjaBench >/dev/null
BIN="$(swift build -c release --show-bin-path)/JinjaBench"
PY=$(python3 bench/jinja_bench.py time "$DIR")
SW=$("$BIN" "$DIR")
echo "$PY"
echo "$SW"
python3 - "$PY" "$SW" <<'PYEOF'
import json, sys
py, sw = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"templates:            {py['templates']}")
print(f"Jinja2 (Python):      {py['us_per_template']:9.1f} us/template  ({py['seconds']:.2f} s)")
print(f"OpsFlow Jinja (Swift):{sw['us_per_template']:9.1f} us/template  ({sw['seconds']:.2f} s)")
print(f"speed-up:             {py['seconds'] / sw['seconds']:9.1f}x")
print(f"identical output:     {py['checksum'] == sw['checksum']}")
PYEOF
