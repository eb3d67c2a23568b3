#!/usr/bin/env python3
"""Generates a runnable dbt project of N models for the PostgreSQL race (bench/pg_race.sh).

Shape: 10 seeds (raw_0..raw_9, 200 rows each: id, amount, status, created_at, with explicit
column_types so that dbt-core, dbt Core v2 and OpsFlow create the same tables); 10 staging views
over the seeds; the other models join 1-3 earlier models on `id` (every model keeps the same four
columns and unique ids), three in four tables and one in four a view that reads only tables (so
that no query expands a deep chain of views: the race measures the engines, not the planner); each model has `not_null` and
`unique` tests on `id`. One target per engine, each in its own schema of the same database.

usage: gen_pg_project.py N OUTDIR PORT
"""
import os
import random
import sys


def main():
    n, out, port = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rnd = random.Random(11)
    for sub in ("models/staging", "models/marts", "seeds"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    with open(os.path.join(out, "dbt_project.yml"), "w") as f:
        f.write(
            "name: pgrace\nversion: '1.0'\nconfig-version: 2\nprofile: pgrace\n"
            "model-paths: ['models']\nseed-paths: ['seeds']\n"
            "vars:\n  start_date: '2025-01-01'\n"
            "seeds:\n  pgrace:\n    +column_types:\n      id: bigint\n      amount: double precision\n"
            "      status: text\n      created_at: timestamp\n"
            "models:\n  pgrace:\n    +materialized: view\n"
        )
    targets = ""
    for name in ("dbt_core", "dbt_v2", "opsflow"):
        targets += (
            f"    {name}:\n      type: postgres\n      host: 127.0.0.1\n      port: {port}\n      user: postgres\n"
            f"      password: race\n      dbname: race\n      schema: {name}\n      threads: 4\n"
        )
    with open(os.path.join(out, "profiles.yml"), "w") as f:
        f.write("pgrace:\n  target: opsflow\n  outputs:\n" + targets)
    statuses = ["placed", "shipped", "completed", "returned"]
    for s in range(10):
        with open(os.path.join(out, "seeds", f"raw_{s}.csv"), "w") as f:
            f.write("id,amount,status,created_at\n")
            for r in range(200):
                f.write(f"{r + 1},{rnd.randint(100, 99999) / 100:.2f},{rnd.choice(statuses)},"
                        f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d} {rnd.randint(0, 23):02d}:00:00\n")
    props = ["version: 2\nmodels:\n"]
    for i in range(n):
        name = f"model_{i:05d}"
        if i < 10:
            folder = "staging"
            body = (
                "select id, amount, status, created_at\n"
                f"from {{{{ ref('raw_{i}') }}}}\n"
                "where created_at >= '{{ var(\"start_date\") }}'\n"
            )
        else:
            folder = "marts"
            low = max(0, i - 40)
            is_view = i % 4 == 1
            candidates = [p for p in range(low, i) if not (is_view and p >= 10 and p % 4 == 1)]
            parents = sorted({rnd.choice(candidates) for _ in range(rnd.randint(1, 3))})
            first = parents[0]
            body = "" if is_view else "{{ config(materialized='table') }}\n"
            body += "with\n" + ",\n".join(f"p_{p} as (select * from {{{{ ref('model_{p:05d}') }}}})" for p in parents) + "\n"
            amount = f"p_{first}.amount" + "".join(f" + coalesce(p_{p}.amount, 0)" for p in parents[1:])
            body += f"select p_{first}.id, round(cast({amount} as numeric), 2) as amount, p_{first}.status, p_{first}.created_at\n"
            body += f"from p_{first}\n"
            for p in parents[1:]:
                body += f"left join p_{p} on p_{p}.id = p_{first}.id\n"
        with open(os.path.join(out, "models", folder, name + ".sql"), "w") as f:
            f.write(body)
        props.append(f"  - name: {name}\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - unique\n")
    with open(os.path.join(out, "models", "properties.yml"), "w") as f:
        f.write("".join(props))


if __name__ == "__main__":
    main()
