#!/usr/bin/env bash
# Starts the BigQuery emulator from PyPI (bqemulator 1.4.0, DuckDB-backed) on 127.0.0.1 for the
# WarehouseBigQuery tests. Prints shell assignments to eval:   eval "$(scripts/bq_emulator_start.sh)"
#   OPSFLOW_BQ_EMULATOR=http://127.0.0.1:PORT  OPSFLOW_BQ_PROJECT=opsflow-test  OPSFLOW_BQ_DIR=/tmp/…
# Stop it with scripts/bq_emulator_stop.sh "$OPSFLOW_BQ_DIR". With OPSFLOW_BQ_PARENT_PID set, it also
# stops by itself once that process has exited.
# The virtual environment is cached in $OPSFLOW_BQ_VENV (default .build/bqemulator-venv).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${OPSFLOW_BQ_VENV:-$ROOT/.build/bqemulator-venv}
PROJECT=${OPSFLOW_BQ_PROJECT:-opsflow-test}
OPSFLOW_BQ_VENV="$VENV" "$ROOT/scripts/bq_emulator_install.sh" >&2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
GRPC=$(free_port)
DIR=$(mktemp -d /tmp/opsflow-bq.XXXXXX)
mkdir -p "$DIR/home"
cat >"$DIR/launch.py" <<'PY'
import os
import shutil
import sys
import threading
import time
import bqemulator.storage.engine as engine
# At start the emulator downloads DuckDB's spatial extension, which fails offline; only
# GEOGRAPHY functions need it.
engine.DuckDBEngine._load_spatial = lambda self, *a, **k: None
from bqemulator.cli import main

# The emulator catches SIGTERM and keeps running: when OPSFLOW_BQ_PARENT_PID is set, exit as
# soon as that process (the test run that asked for the emulator) is gone.
parent = int(os.environ.get("OPSFLOW_BQ_PARENT_PID") or 0)
# Descriptors inherited from the test process (its runner's output pipe) would keep the runner
# waiting after the tests end: keep only stdin/out/err.
for fd in [int(name) for name in os.listdir("/proc/self/fd") if int(name) > 2]:
    try:
        os.close(fd)
    except OSError:
        pass
def watch():
    while True:
        time.sleep(1)
        try:
            os.kill(parent, 0)
            # An exited test process not yet reaped by its runner is a zombie: gone too.
            with open(f"/proc/{parent}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    raise OSError("parent exited")
        except OSError:
            shutil.rmtree(os.path.dirname(os.path.abspath(__file__)), ignore_errors=True)
            os._exit(0)
if parent:
    threading.Thread(target=watch, daemon=True).start()
sys.argv = ["bqemulator"] + sys.argv[1:]
sys.exit(main())
PY
HOME="$DIR/home" nohup "$VENV/bin/python" "$DIR/launch.py" start --rest-host 127.0.0.1 --rest-port "$PORT" \
  --grpc-port "$GRPC" --ephemeral --project "$PROJECT" >"$DIR/emulator.log" 2>&1 </dev/null &
echo $! >"$DIR/pid"
for _ in $(seq 1 150); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=1)" 2>/dev/null; then
    echo "OPSFLOW_BQ_EMULATOR=http://127.0.0.1:$PORT"
    echo "OPSFLOW_BQ_PROJECT=$PROJECT"
    echo "OPSFLOW_BQ_DIR=$DIR"
    exit 0
  fi
  if ! kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then tail -20 "$DIR/emulator.log" >&2; exit 1; fi
  sleep 0.2
done
echo "the BigQuery emulator did not answer /healthz within 30 s; see $DIR/emulator.log" >&2
kill -KILL "$(cat "$DIR/pid")" 2>/dev/null || true
exit 1
