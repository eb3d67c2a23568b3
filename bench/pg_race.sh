#!/usr/bin/env bash
# End-to-end race on one PostgreSQL 15 server: the same generated project (bench/gen_pg_project.py)
# built with dbt-core 1.12 + dbt-postgres, dbt Core v2 (the Rust engine, ADBC driver) and OpsFlow,
# each into its own schema, in one run. Prints wall time, time per node, the server's own time
# (every statement's duration from the server log), statements sent, and the ratios; then
# OpsFlow's per-node overhead: a --threads 1 build whose wall time minus the time spent waiting
# for the server (measured around each round trip inside the adapter: OPSFLOW_PG_STATS_FILE)
# is the engine's own work. Not a timed test: numbers depend on the machine.
#
# usage: bench/pg_race.sh [N ...]        (default: 100 1000)
#   SKIP_DBT_CORE=1            skip dbt-core 1.12 (about 3 minutes at 1,000 models)
#   OPSFLOW_BASELINE=path      also race an older opsflow binary (before/after in the same run)
#   OPSFLOW_BIN=path           the opsflow to race (default: a fresh release build)
# Needs: python3, the Debian postgresql-15 server. Installs dbt-core==1.12.0,
# dbt-core-experimental-parser==2.0.0a4, dbt-postgres and adbc-driver-postgresql into bench/.venv-pg.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000)
VENV="$ROOT/bench/.venv-pg"
if [ ! -x "$VENV/bin/dbt" ] || [ ! -x "$VENV/bin/dbt-core-experimental-parser" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet dbt-core==1.12.0 dbt-core-experimental-parser==2.0.0a4 dbt-postgres adbc-driver-postgresql
fi
if [ -z "${OPSFLOW_BIN:-}" ]; then
  swift build -c release --product opsflow >/dev/null
  OPSFLOW_BIN="$ROOT/.build/release/opsflow"
fi
OUT="$ROOT/bench/out/pg"; mkdir -p "$OUT"

# dbt Core v2 loads its PostgreSQL ADBC driver only from its cache, under a versioned name.
export XDG_CACHE_HOME="$OUT/cache"
ADBC_DIR="$XDG_CACHE_HOME/com.getdbt/adbc/x86_64-manylinux_2_17-linux-gnu"
mkdir -p "$ADBC_DIR"
DRIVER=$(find "$VENV" -name libadbc_driver_postgresql.so | head -1)
cp "$DRIVER" "$ADBC_DIR/libadbc_driver_postgresql-0.21.0+dbt0.21.0.so"
export DBT_ALLOW_EXPERIMENTAL_ADAPTERS=true DBT_SEND_ANONYMOUS_USAGE_STATS=false

eval "$(scripts/pg_start.sh)"
trap 'scripts/pg_stop.sh "$OPSFLOW_PG_DIR"' EXIT
export PGOPTIONS="--client-min-messages=warning"
PSQL=(psql -h 127.0.0.1 -p "$OPSFLOW_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
"${PSQL[@]}" -d postgres -c "create database race"
# Every statement's server-side duration goes to the log (the same cost for every engine).
PGLOG="$OPSFLOW_PG_DIR/log"
"${PSQL[@]}" -d postgres -c "alter system set log_min_duration_statement = 0" -c "select pg_reload_conf()" >/dev/null

# measure DIR CMD... → prints "seconds exit"
measure() {
  local dir=$1; shift
  local log="$OUT/time.$$"
  ( cd "$dir" && /usr/bin/time -f "%e" -o "$log" "$@" >"$OUT/last.log" 2>&1 ) && rc=0 || rc=$?
  [ "$rc" = 0 ] || { echo "--- failed: $* (exit $rc); last lines:" >&2; tail -20 "$OUT/last.log" >&2; }
  echo "$(tail -1 "$log") $rc"
}

# A previous run's target folder is moved aside, not deleted, until the end: ext4 skips the inodes
# of recently deleted files when it allocates new ones, and thousands of them (rm -rf target just
# before a run) made every artifact file an engine creates several times slower.
TRASH="$OUT/trash"; rm -rf "$TRASH"; mkdir -p "$TRASH"
set_aside() { if [ -e "$1" ]; then mv "$1" "$TRASH/$(date +%s%N)"; fi; }
trap 'scripts/pg_stop.sh "$OPSFLOW_PG_DIR"; rm -rf "$TRASH"' EXIT

# server_time FROM_BYTE → "seconds statements" logged by the server since that offset.
server_time() {
  tail -c +"$(( $1 + 1 ))" "$PGLOG" | python3 -c '
import re, sys
total, count = 0.0, 0
for line in sys.stdin:
    m = re.search(r"duration: ([0-9.]+) ms", line)
    if m:
        total += float(m.group(1)); count += 1
print(f"{total / 1000:.3f} {count}")'
}

printf "%-7s %-24s %6s %8s %8s %9s %8s %5s\n" models engine nodes seconds ms/node server_s stmts exit
for n in "${SIZES[@]}"; do
  P="$OUT/project_$n"
  set_aside "$P"; python3 bench/gen_pg_project.py "$n" "$P" "$OPSFLOW_PG_PORT"
  nodes=$((10 + n + 2 * n))   # seeds + models + two tests per model
  declare -A times=()
  run_engine() {
    local key=$1 label=$2 schema=$3; shift 3
    "${PSQL[@]}" -d race -c "drop schema if exists $schema cascade"
    set_aside "$P/target"
    local from; from=$(stat -c %s "$PGLOG")
    read -r secs rc < <(measure "$P" "$@")
    read -r server stmts < <(server_time "$from")
    printf "%-7s %-24s %6s %8s %8s %9s %8s %5s\n" "$n" "$label" "$nodes" "$secs" \
      "$(python3 -c "print(f'{$secs * 1000 / $nodes:.2f}')")" "$server" "$stmts" "$rc"
    times[$key]=$secs
  }
  # profiles.yml has one target per engine; OpsFlow's baseline reuses the opsflow target.
  if [ -n "${OPSFLOW_BASELINE:-}" ]; then
    run_engine baseline "opsflow (baseline)" opsflow "$OPSFLOW_BASELINE" build --profiles-dir "$P" --target opsflow
  fi
  run_engine opsflow "opsflow" opsflow "$OPSFLOW_BIN" build --profiles-dir "$P" --target opsflow
  run_engine v2 "dbt Core v2 (Rust)" dbt_v2 "$VENV/bin/dbt-core-experimental-parser" build --profiles-dir "$P" --target dbt_v2 \
      --no-version-check --no-send-anonymous-usage-stats
  if [ "${SKIP_DBT_CORE:-0}" != 1 ]; then
    run_engine core "dbt-core 1.12" dbt_core "$VENV/bin/dbt" build --profiles-dir "$P" --target dbt_core
  fi
  ratio() { python3 -c "print(f'{$1 / $2:.1f}x')"; }
  line="        ratio: dbt Core v2 / opsflow = $(ratio "${times[v2]}" "${times[opsflow]}")"
  if [ -n "${times[core]:-}" ]; then line+="; dbt-core 1.12 / opsflow = $(ratio "${times[core]}" "${times[opsflow]}")"; fi
  if [ -n "${times[baseline]:-}" ]; then line+="; opsflow baseline / opsflow = $(ratio "${times[baseline]}" "${times[opsflow]}")"; fi
  echo "$line"
  # The tables every engine built must hold the same rows (schema by schema, table by table).
  python3 - "$n" "${PSQL[@]}" <<'PY'
import subprocess, sys
n, psql = sys.argv[1], sys.argv[2:]
def q(sql):
    return subprocess.run(psql + ["-d", "race", "-c", sql], check=True, capture_output=True, text=True).stdout
schemas = [s for s in q("select nspname from pg_namespace where nspname in ('dbt_core','dbt_v2','opsflow') order by 1").split()]
digests = {}
for s in schemas:
    rows = q(f"select c.relname from pg_class c join pg_namespace ns on ns.oid = c.relnamespace where ns.nspname = '{s}' and c.relkind in ('r','v') order by 1").split()
    digests[s] = {r: q(f'select md5(coalesce(string_agg(t::text, \'|\' order by t::text), \'\')) from "{s}"."{r}" t').strip() for r in rows}
base = digests.get("opsflow", {})
for s, d in digests.items():
    if s == "opsflow": continue
    differing = [r for r in base if d.get(r) != base[r]]
    missing = set(base) ^ set(d)
    print(f"        rows: opsflow vs {s}: {len(base) - len(differing)}/{len(base)} relations identical" + (f"; different: {differing[:5]}" if differing else "") + (f"; not in both: {sorted(missing)[:5]}" if missing else ""))
PY
  # Per-node overhead: one thread, so wall time = engine work + time waiting for the server.
  for variant in baseline current; do
    bin=$OPSFLOW_BIN
    if [ $variant = baseline ]; then [ -n "${OPSFLOW_BASELINE:-}" ] || continue; bin=$OPSFLOW_BASELINE; fi
    "${PSQL[@]}" -d race -c "drop schema if exists opsflow cascade"
    set_aside "$P/target"; stats="$OUT/stats.$$"; rm -f "$stats"
    read -r secs rc < <(OPSFLOW_PG_STATS_FILE="$stats" measure "$P" "$bin" build --profiles-dir "$P" --target opsflow --threads 1)
    python3 - "$n" "$variant" "$nodes" "$secs" "$stats" <<'PY'
import json, os, sys
n, variant, nodes, secs, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
if not os.path.exists(path):
    print(f"        opsflow ({variant}) --threads 1: {secs:.2f} s (no statement statistics from this binary)")
    sys.exit(0)
stats = [json.loads(line) for line in open(path)]
trips = sum(s["round_trips"] for s in stats)
waiting = sum(s["statement_seconds"] for s in stats)
print(f"        opsflow ({variant}) --threads 1: {secs:.2f} s, waiting for the server {waiting:.2f} s over {trips} round trips "
      f"({trips / nodes:.2f} per node); overhead {(secs - waiting) * 1000 / nodes:.2f} ms per node")
PY
  done
done
