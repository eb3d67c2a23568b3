#!/usr/bin/env bash
# Compile benchmark: OpsFlow against dbt-core 1.12 and dbt Core v2 (the Rust engine), measured in
# the same run on the same generated projects. Prints wall time, peak memory and ratios.
#
# usage: bench/compile_bench.sh [N ...]      (default: 1000 10000)
# Needs: python3; installs dbt-core==1.12.0, dbt-core-experimental-parser==2.0.0a4 and dbt-duckdb into
# bench/.venv on first use. Set SKIP_DBT_CORE=1 to skip dbt-core 1.12 (slow at 10,000 models).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/dbt" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet dbt-core==1.12.0 dbt-core-experimental-parser==2.0.0a4 dbt-duckdb
fi
swift build -c release --product opsflow >/dev/null
OPSFLOW="$ROOT/.build/release/opsflow"
OUT="$ROOT/bench/out"; mkdir -p "$OUT"

# measure LABEL DIR CMD... → prints "seconds peak_mib exit"
measure() {
  local dir=$1; shift
  local log="$OUT/time.$$"
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$log" "$@" >"$OUT/last.log" 2>&1 ) && rc=0 || rc=$?
  read -r secs kib < "$log"
  echo "$secs $((kib / 1024)) $rc"
}

# Old project and target folders are moved aside, not deleted, until the end: ext4 skips the inodes
# of recently deleted files when it allocates new ones, and thousands of them (rm -rf target just
# before) made creating each new file up to ~1.7 ms here — for whichever engine came next.
TRASH="$OUT/trash/$$"; mkdir -p "$TRASH"
set_aside() { if [ -e "$1" ]; then mv "$1" "$TRASH/$(date +%s%N)"; fi; }
trap 'rm -rf "$TRASH"' EXIT

printf "%-8s %-28s %10s %10s %6s\n" models engine seconds peak_MiB exit
for n in "${SIZES[@]}"; do
  P="$OUT/project_$n"
  set_aside "$P"; python3 bench/gen_project.py "$n" "$P"
  read -r o_s o_m o_rc < <(measure "$P" "$OPSFLOW" compile --profiles-dir "$P" --target sqlite --quiet)
  printf "%-8s %-28s %10s %10s %6s\n" "$n" "opsflow" "$o_s" "$o_m" "$o_rc"
  set_aside "$P/target"
  read -r v2_s v2_m v2_rc < <(measure "$P" "$VENV/bin/dbt-core-experimental-parser" compile --profiles-dir "$P" --target dev \
      --no-version-check --no-send-anonymous-usage-stats)
  printf "%-8s %-28s %10s %10s %6s\n" "$n" "dbt Core v2 (Rust)" "$v2_s" "$v2_m" "$v2_rc"
  if [ "${SKIP_DBT_CORE:-0}" != 1 ]; then
    set_aside "$P/target"
    read -r c_s c_m c_rc < <(measure "$P" "$VENV/bin/dbt" compile --profiles-dir "$P" --target dev)
    printf "%-8s %-28s %10s %10s %6s\n" "$n" "dbt-core 1.12" "$c_s" "$c_m" "$c_rc"
  else
    c_s=""
  fi
  python3 - "$o_s" "$v2_s" "${c_s:-}" <<'PY'
import sys
o = float(sys.argv[1]); v2 = float(sys.argv[2]); c = sys.argv[3]
print(f"         ratio: dbt Core v2 / opsflow = {v2 / o:.1f}x" + (f"; dbt-core 1.12 / opsflow = {float(c) / o:.1f}x" if c else ""))
PY
done
