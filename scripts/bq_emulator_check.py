#!/usr/bin/env python3
"""Second check of the BigQuery conformance cases against the BigQuery emulator from PyPI.

Runs every case exported by the Swift test `export cases for the emulator check`
(OPSFLOW_EXPORT_CASES=<file> swift test --filter BigQueryConformanceTests) on `bqemulator`
(DuckDB-backed, SQLGlot-translated) and prints, per category:
  - how many cases the emulator answers as Google's documentation says,
  - how many OpsFlow answers as the documentation says,
  - the cases where the emulator agrees with the documentation but OpsFlow does not (should be none).
The emulator is a second opinion, not the oracle: where it disagrees with the documentation, the
documentation wins (it is itself a translation to DuckDB and has its own gaps).

Usage: python3 scripts/bq_emulator_check.py cases.json [--venv DIR] [--limit N]
Not part of CI: it installs packages and starts a server (about a minute).
"""
import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict

PROJECT = "opsflow-check"

LAUNCHER = """
import sys
import bqemulator.storage.engine as engine
# The spatial extension is downloaded at start, which fails offline: only GEOGRAPHY needs it.
engine.DuckDBEngine._load_spatial = lambda self, *a, **k: None
from bqemulator.cli import main
sys.argv = ["bqemulator"] + sys.argv[1:]
sys.exit(main())
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    try:
        subprocess.check_call([python, "-c", "import bqemulator, numpy"], stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        subprocess.check_call([python, "-m", "pip", "install", "-q", "bqemulator==1.4.0", "numpy"])
    return python


def start(python, home):
    port, grpc = free_port(), free_port()
    launcher = os.path.join(home, "launch_bqemulator.py")
    with open(launcher, "w") as f:
        f.write(LAUNCHER)
    env = dict(os.environ, HOME=home)
    log = open(os.path.join(home, "emulator.log"), "w")
    proc = subprocess.Popen([python, launcher, "start", "--rest-host", "127.0.0.1", "--rest-port", str(port),
                             "--grpc-port", str(grpc), "--ephemeral", "--project", PROJECT],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return proc, base
        except Exception:
            if proc.poll() is not None:
                raise SystemExit(f"the emulator exited; see {log.name}")
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the emulator did not become ready")


def request(base, path, body):
    data = json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return {"errors": [{"message": error.read().decode(errors="replace")}]}
    except Exception as error:  # a dropped connection counts as an error answer
        return {"errors": [{"message": str(error)}]}


def query(base, sql):
    return request(base, f"/bigquery/v2/projects/{PROJECT}/queries", {"query": sql, "useLegacySql": False})


def show_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    if x == int(x) and abs(x) < 1e15:
        return "%.1f" % x
    return repr(x)


def show_timestamp(v):
    try:
        micros = int(v) if str(v).lstrip("-").isdigit() else int(round(float(v) * 1_000_000))
    except ValueError:
        return str(v)
    seconds, fraction = divmod(micros, 1_000_000)
    text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
    return text + (".%06d" % fraction if fraction else "") + "+00"


def show(value, field):
    if value is None:
        return "NULL"
    kind = field.get("type", "")
    if field.get("mode") == "REPEATED":
        items = [show(item.get("v") if isinstance(item, dict) else item, dict(field, mode="NULLABLE")) for item in value]
        parts = []
        for item in items:
            if kind in ("INTEGER", "INT64", "FLOAT", "FLOAT64", "BOOLEAN", "BOOL", "NUMERIC"):
                parts.append(item.replace(".0", "") if kind in ("INTEGER", "INT64") else item)
            else:
                parts.append(json.dumps(item))
        return "[" + ",".join(parts) + "]"
    if kind in ("FLOAT", "FLOAT64"):
        return show_float(float(value))
    if kind in ("BOOLEAN", "BOOL"):
        return "true" if str(value).lower() == "true" else "false"
    if kind == "TIMESTAMP":
        return show_timestamp(value)
    if kind in ("NUMERIC", "BIGNUMERIC"):
        return show_float(float(value)) if "." in str(value) else str(value)
    if kind == "RECORD":
        return json.dumps(value)
    return str(value)


def answer(base, case):
    sql = case["sql"] if case["query"] == "1" else f"SELECT {case['sql']} AS v"
    response = query(base, sql)
    if response.get("errors") or "error" in response:
        return "ERROR"
    fields = response.get("schema", {}).get("fields", [])
    rows = []
    for row in response.get("rows", []):
        cells = [show(cell.get("v"), field) for cell, field in zip(row.get("f", []), fields)]
        rows.append("|".join(cells))
    return ";".join(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cases")
    parser.add_argument("--venv", default=os.path.join(tempfile.gettempdir(), "opsflow-bqemulator-venv"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="list every case where the emulator differs from the docs")
    args = parser.parse_args()
    with open(args.cases) as f:
        document = json.load(f)
    cases = document["cases"][: args.limit or None]
    python = ensure_venv(args.venv)
    home = tempfile.mkdtemp(prefix="opsflow-bqemu-home-")
    proc, base = start(python, home)
    try:
        request(base, f"/bigquery/v2/projects/{PROJECT}/datasets", {"datasetReference": {"projectId": PROJECT, "datasetId": "dev"}})
        for statement in document["setup"].split(";"):
            result = query(base, statement)
            if result.get("errors"):
                print("setup failed on the emulator:", result["errors"][0].get("message", "")[:200])
        per = defaultdict(lambda: [0, 0, 0, 0])  # cases, emulator==docs, opsflow==docs, emulator==opsflow
        only_emulator = []
        for case in cases:
            got = answer(base, case)
            stats = per[case["category"]]
            stats[0] += 1
            stats[1] += got == case["expected"]
            stats[2] += case["opsflow"] == case["expected"]
            stats[3] += got == case["opsflow"]
            if got == case["expected"] and case["opsflow"] != case["expected"]:
                only_emulator.append(case)
            if args.verbose and got != case["expected"]:
                print(f"emulator differs: {case['sql']}\n    docs: {case['expected']}\n    emulator: {got}")
        total = [sum(v[i] for v in per.values()) for i in range(4)]
        print(f"{'category':32} {'cases':>6} {'emu=docs':>9} {'ops=docs':>9} {'emu=ops':>8}")
        for name, (n, e, o, eo) in per.items():
            print(f"{name:32} {n:6} {e:9} {o:9} {eo:8}")
        print(f"{'total':32} {total[0]:6} {total[1]:9} {total[2]:9} {total[3]:8}")
        for case in only_emulator:
            print("emulator agrees with the docs, OpsFlow does not:", case["sql"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
