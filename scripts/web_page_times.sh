#!/usr/bin/env bash
# Page load times of `opsflow serve` on the example (the dashboard's 1-second goal; users require 5 s).
# Builds the release binary, runs `opsflow demo` when the example has no data yet, serves it on a
# free port and fetches every page 5 times with curl; prints the median and the slowest, in ms.
# Also loads the OpsFlow Executive dashboard in headless Chromium when it is installed.
#
# usage: scripts/web_page_times.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product opsflow >/dev/null
OPSFLOW=$PWD/.build/release/opsflow
EXAMPLE=examples/opsflow_analytics
[ -f "$EXAMPLE/target/run_results.json" ] || "$OPSFLOW" demo --quiet >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$OPSFLOW" serve --project-dir "$EXAMPLE" --port "$PORT" --quiet &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
RUN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["invocation_id"])' "$EXAMPLE/target/run_results.json")
printf "%-62s %10s %10s\n" page median_ms max_ms
for path in / /node/model.opsflow_analytics.mart_volume_forecast /runs "/runs/$RUN" \
            /dashboards/opsflow_executive "/dashboards/opsflow_executive?client_type=Client_A" /api/lineage; do
  times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT$path")")
  done
  python3 - "$path" "${times[@]}" <<'PY'
import statistics, sys
ms = sorted(float(t) * 1000 for t in sys.argv[2:])
print(f"{sys.argv[1]:<62} {statistics.median(ms):10.1f} {ms[-1]:10.1f}")
PY
done
if command -v chromium >/dev/null 2>&1; then
  start=$(date +%s%N)
  chromium --headless --no-sandbox --disable-gpu --dump-dom "http://127.0.0.1:$PORT/dashboards/opsflow_executive" >/dev/null 2>&1
  echo "Chromium: the OpsFlow Executive dashboard loaded and rendered in $(( ($(date +%s%N) - start) / 1000000 )) ms (including browser start)"
fi
