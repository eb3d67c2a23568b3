#!/usr/bin/env bash
# End-to-end race on one PostgreSQL 15 server: the same generated project (bench/gen_pg_project.py)
# built with dbt-core 1.12 + dbt-postgres, dbt Core v2 (the Rust engine, ADBC driver) and OpsFlow,
# each into its own schema, in one run. Prints wall time, time per node and the ratios.
# Not a timed test: numbers depend on the machine.
#
# usage: bench/pg_race.sh [N ...]        (default: 100 1000)
#   SKIP_DBT_CORE=1   skip dbt-core 1.12 (about 3 minutes at 1,000 models)
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
swift build -c release --product opsflow >/dev/null
OPSFLOW="$ROOT/.build/release/opsflow"
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

# measure DIR CMD... → prints "seconds exit"
measure() {
  local dir=$1; shift
  local log="$OUT/time.$$"
  ( cd "$dir" && /usr/bin/time -f "%e" -o "$log" "$@" >"$OUT/last.log" 2>&1 ) && rc=0 || rc=$?
  [ "$rc" = 0 ] || { echo "--- failed: $* (exit $rc); last lines:" >&2; tail -20 "$OUT/last.log" >&2; }
  echo "$(tail -1 "$log") $rc"
}

printf "%-7s %-22s %6s %9s %12s %6s\n" models engine nodes seconds ms_per_node exit
for n in "${SIZES[@]}"; do
  P="$OUT/project_$n"
  rm -rf "$P"; python3 bench/gen_pg_project.py "$n" "$P" "$OPSFLOW_PG_PORT"
  nodes=$((10 + n + 2 * n))   # seeds + models + two tests per model
  for schema in dbt_core dbt_v2 opsflow; do "${PSQL[@]}" -d race -c "drop schema if exists $schema cascade"; done
  results=()
  run_engine() {
    local label=$1; shift
    rm -rf "$P/target"
    read -r secs rc < <(measure "$P" "$@")
    printf "%-7s %-22s %6s %9s %12s %6s\n" "$n" "$label" "$nodes" "$secs" \
      "$(python3 -c "print(f'{$secs * 1000 / $nodes:.2f}')")" "$rc"
    results+=("$secs")
  }
  run_engine "opsflow" "$OPSFLOW" build --profiles-dir "$P" --target opsflow --quiet
  run_engine "dbt Core v2 (Rust)" "$VENV/bin/dbt-core-experimental-parser" build --profiles-dir "$P" --target dbt_v2 \
      --no-version-check --no-send-anonymous-usage-stats
  if [ "${SKIP_DBT_CORE:-0}" != 1 ]; then
    run_engine "dbt-core 1.12" "$VENV/bin/dbt" build --profiles-dir "$P" --target dbt_core
  fi
  python3 - "${results[@]}" <<'PY'
import sys
t = [float(x) for x in sys.argv[1:]]
line = f"        ratio: dbt Core v2 / opsflow = {t[1] / t[0]:.1f}x"
if len(t) > 2:
    line += f"; dbt-core 1.12 / opsflow = {t[2] / t[0]:.1f}x"
print(line)
PY
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
done
