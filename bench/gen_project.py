#!/usr/bin/env python3
"""Generates a synthetic dbt project of N models for benchmarks.

Shape: 10 sources tables; a staging layer (one view per 10 models) reading sources; the rest are
models referencing 1–3 earlier models, with Jinja loops, ifs, config() calls, project macros and
dbt cross-database macros; each model has 2–3 generic data tests in a property file.
The same project runs under dbt (duckdb profile) and OpsFlow (sqlite profile).

usage: gen_project.py N OUTDIR
"""
import os
import random
import sys


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(7)
    os.makedirs(os.path.join(out, "models", "staging"), exist_ok=True)
    os.makedirs(os.path.join(out, "models", "marts"), exist_ok=True)
    os.makedirs(os.path.join(out, "macros"), exist_ok=True)
    with open(os.path.join(out, "dbt_project.yml"), "w") as f:
        f.write(
            "name: bench\nversion: '1.0'\nconfig-version: 2\nprofile: bench\n"
            "model-paths: ['models']\nmacro-paths: ['macros']\n"
            "vars:\n  start_date: '2025-01-01'\n"
            "models:\n  bench:\n    +materialized: view\n    marts:\n      +materialized: table\n      +tags: ['mart']\n"
        )
    with open(os.path.join(out, "profiles.yml"), "w") as f:
        f.write(
            "bench:\n  target: dev\n  outputs:\n"
            "    dev:\n      type: duckdb\n      path: bench.duckdb\n      schema: main\n      threads: 4\n"
            "    sqlite:\n      type: sqlite\n      path: bench.sqlite\n      schema: main\n      threads: 4\n"
        )
    with open(os.path.join(out, "macros", "helpers.sql"), "w") as f:
        f.write(
            "{% macro cents_to_dollars(column_name, scale=2) -%}\n"
            "    round(({{ column_name }} / 100.0), {{ scale }})\n"
            "{%- endmacro %}\n\n"
            "{% macro select_columns(cols, prefix='') -%}\n"
            "    {%- for c in cols %}\n    {{ prefix }}{{ c }}{{ ',' if not loop.last }}\n    {%- endfor %}\n"
            "{%- endmacro %}\n"
        )
    with open(os.path.join(out, "models", "sources.yml"), "w") as f:
        f.write("version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n")
        for t in range(10):
            f.write(f"      - name: table_{t}\n")
    props = ["version: 2\nmodels:\n"]
    cols = ["id", "amount", "status", "created_at"]
    for i in range(n):
        name = f"model_{i:05d}"
        staging = i % 10 == 0 or i < 10
        folder = "staging" if staging else "marts"
        if staging:
            body = (
                "{{ config(materialized='view') }}\n"
                "select\n{{ select_columns(['id', 'amount', 'status', 'created_at']) }},\n"
                "    {{ cents_to_dollars('amount') }} as amount_usd\n"
                f"from {{{{ source('raw', 'table_{i % 10}') }}}}\n"
                "where created_at >= '{{ var(\"start_date\") }}'\n"
            )
        else:
            parents = sorted({rnd.randrange(0, i) for _ in range(rnd.randint(1, 3))})
            first = parents[0]
            body = "{{ config(tags=['generated']) }}\n"
            body += "{% set statuses = ['placed', 'shipped', 'completed', 'returned'] %}\n"
            body += "with\n"
            for p in parents:
                body += f"p_{p} as (select * from {{{{ ref('model_{p:05d}') }}}}),\n"
            body += "joined as (\n    select\n        p_%d.id,\n        p_%d.created_at,\n" % (first, first)
            body += "        {%- for s in statuses %}\n"
            body += "        sum(case when p_%d.status = '{{ s }}' then p_%d.amount else 0 end) as {{ s }}_amount,\n" % (first, first)
            body += "        {%- endfor %}\n"
            body += "        count(*) as n\n    from p_%d\n" % first
            for p in parents[1:]:
                body += f"    left join p_{p} on p_{p}.id = p_{first}.id\n"
            body += "    group by 1, 2\n)\n"
            body += "select *{% if target.name == 'prod' %}, 1 as is_prod{% endif %} from joined\n"
        with open(os.path.join(out, "models", folder, name + ".sql"), "w") as f:
            f.write(body)
        props.append(f"  - name: {name}\n    description: Model {i}\n    columns:\n")
        props.append("      - name: id\n        data_tests:\n          - not_null\n")
        if i % 2 == 0:
            props.append("          - unique\n")
        if staging:
            props.append(
                "      - name: status\n        data_tests:\n          - accepted_values:\n"
                "              arguments:\n                values: ['placed', 'shipped', 'completed', 'returned']\n"
            )
    with open(os.path.join(out, "models", "properties.yml"), "w") as f:
        f.write("".join(props))


if __name__ == "__main__":
    main()
