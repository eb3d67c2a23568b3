"""Regenerates the golden files of the fixture projects from real dbt-core.

Run: python3 make_golden.py /path/to/dbt   (dbt-core 1.12.0 with dbt-duckdb, see shared ENVIRONMENT.md)
Writes <project>.golden.json next to each project: the parts of dbt's manifest.json that OpsFlow's
Project module must reproduce. The values come from dbt, never from OpsFlow.
"""
import json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_KEYS = ["primary_key", "unique_id", "resource_type", "name", "package_name", "path", "original_file_path", "fqn", "alias",
             "checksum", "config", "tags", "meta", "description", "refs", "sources", "depends_on", "raw_code",
             "patch_path", "test_metadata", "column_name", "attached_node", "file_key_name", "doc_blocks"]
SOURCE_KEYS = ["unique_id", "name", "source_name", "fqn", "path", "original_file_path", "database", "schema",
               "identifier", "loader", "loaded_at_field", "freshness", "description", "source_description",
               "meta", "tags"]

# `dbt ls` cases: each is a list of (flag, value) pairs.
SELECTIONS = [[("-s", s)] for s in [
    "stg_orders", "+stg_orders", "stg_orders+", "1+customers", "customers+1", "@stg_orders", "tag:staging",
    "tag:mart", "path:models/staging", "path:models/marts/finance/orders.sql", "models/marts", "file:stg_orders.sql",
    "fqn:staging.*", "staging", "marts.finance", "package:jaffle_shop", "config.materialized:table",
    "config.materialized:incremental", "source:raw_source", "source:raw_source.im_arrival_scan+", "resource_type:seed",
    "test_type:generic", "test_type:singular", "test_name:accepted_values", "tag:staging,config.materialized:table",
    "stg_orders stg_customers", "stg_*", "2+orders", "source:other_db+", "config.severity:warn", "tag:money",
    "selector:nightly_marts",
]] + [
    [("-s", "staging"), ("--exclude", "stg_orders")],
    [("--exclude", "tag:staging")],
    [("--selector", "nightly_marts")],
    [("--selector", "staging_and_up")],
    [("--selector", "orders_upstream")],
    [("-s", "+customers"), ("--exclude", "resource_type:test")],
]

def main(dbt):
    for project in ["jaffle_shop"]:
        work = tempfile.mkdtemp()
        shutil.copytree(os.path.join(HERE, project), os.path.join(work, project))
        prof = os.path.join(work, "profiles")
        os.makedirs(prof)
        with open(os.path.join(prof, "profiles.yml"), "w") as f:
            f.write(f"{project}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                    f"      path: {work}/db.duckdb\n      threads: 1\n")
        subprocess.run([dbt, "parse", "--profiles-dir", prof, "--no-partial-parse"],
                       cwd=os.path.join(work, project), check=True, stdout=subprocess.DEVNULL)
        m = json.load(open(os.path.join(work, project, "target", "manifest.json")))
        golden = {
            "nodes": {k: {x: n.get(x) for x in NODE_KEYS if x in n} for k, n in m["nodes"].items()},
            "sources": {k: {x: s.get(x) for x in SOURCE_KEYS} for k, s in m["sources"].items()},
            "parent_map": m["parent_map"],
            "child_map": m["child_map"],
            "disabled": sorted(m["disabled"].keys()),
            "docs": {k: d for k, d in m["docs"].items() if d["package_name"] == project},
            "macros": sorted(k for k, d in m["macros"].items() if d["package_name"] == project),
        }
        golden["selection"] = {}
        for case in SELECTIONS:
            args = [dbt, "ls", "--profiles-dir", prof, "--resource-type", "all", "--output", "json",
                    "--output-keys", "unique_id", "--quiet"]
            for flag, value in case:
                args += [flag] + value.split(" ")
            out = subprocess.run(args, cwd=os.path.join(work, project), check=True, capture_output=True, text=True).stdout
            ids = sorted(json.loads(line)["unique_id"] for line in out.splitlines() if line.startswith("{"))
            golden["selection"][" ".join(f"{f} {v}" for f, v in case)] = ids
        with open(os.path.join(HERE, project + ".golden.json"), "w") as f:
            json.dump(golden, f, indent=1)
        shutil.rmtree(work)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dbt")
