#!/bin/sh
# Measures `opsflow load` on a 1,000,000-row im_arrival_scan extract (release build).
# Usage: scripts/ops_load_bench.sh [rows]   (from the repository root)
# Prints the loader's own line (rows/s) and the wall time of the whole command.
set -eu
ROWS=${1:-1000000}
ROOT=$(pwd)
swift build -c release --product opsflow >/dev/null
BIN="$ROOT/.build/release/opsflow"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -R examples/opsflow_analytics "$WORK/project"
rm -rf "$WORK/project/target" "$WORK/project/.opsflow" "$WORK/project/opsflow.sqlite"
python3 - "$WORK/scans.csv" "$ROWS" <<'PY'
import random, sys, datetime
path, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
stations = ["CDC-SP", "HUB-RJ", "HUB-BH", "HUB-CWB"]
clients = ["Client_A D2D", "Client_B", "Client_C", "Loja Azul", "TEST"]
start = datetime.datetime(2026, 9, 1)
with open(path, "w", newline="") as f:
    f.write("waybillNo,scanDate,scanStation,clientName\n")
    for i in range(rows):
        ts = start + datetime.timedelta(seconds=rng.randrange(90 * 86400))
        f.write(f"WB{i:09d},{ts:%Y-%m-%d %H:%M:%S},{rng.choice(stations)},{rng.choice(clients)}\n")
PY
ls -l "$WORK/scans.csv" | awk '{print "file bytes:", $5}'
START=$(date +%s.%N)
"$BIN" load --project-dir "$WORK/project" raw_source.im_arrival_scan "$WORK/scans.csv"
END=$(date +%s.%N)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'wall {s:.2f}s, {int(sys.argv[3])/s:,.0f} rows/s including project parse')" "$START" "$END" "$ROWS"
# Peak memory of a second load of the same rows under another name (ledger skips identical content, so change one byte).
sed -i '2s/^WB/XB/' "$WORK/scans.csv"
/usr/bin/time -f "peak RSS %M KiB" "$BIN" load --project-dir "$WORK/project" raw_source.im_arrival_scan "$WORK/scans.csv" 2>&1 | tail -2
