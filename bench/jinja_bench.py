#!/usr/bin/env python3
"""Generates N dbt-like model templates (+ shared macros) and times Python Jinja2 on them.

    python3 bench/jinja_bench.py generate DIR N
    python3 bench/jinja_bench.py time DIR

The timed work is parse (compile) + render of every model, as dbt does once per model;
shared macros are compiled once up front, like dbt's macro manifest.
"""
import json
import random
import sys
import time
from pathlib import Path

import jinja2

MACROS = """
{% macro generate_surrogate_key(field_list) -%}
{%- set fields = [] -%}
{%- for field in field_list -%}
    {%- do fields.append("coalesce(cast(" ~ field ~ " as varchar), '_null_')") -%}
    {%- if not loop.last %}{%- do fields.append("'-'") -%}{%- endif -%}
{%- endfor -%}
md5({{ fields | join(' || ') }})
{%- endmacro %}

{% macro cents_to_dollars(column_name, scale=2) -%}
    round(cast({{ column_name }} as numeric) / 100, {{ scale }})
{%- endmacro %}

{% macro pivot(column, values, agg='sum', prefix='') -%}
{%- for value in values -%}
{{ agg }}(case when {{ column }} = '{{ value | replace("'", "''") }}' then 1 else 0 end) as {{ prefix ~ value | lower }}
{%- if not loop.last %},
    {% endif -%}
{%- endfor -%}
{%- endmacro %}

{% macro date_trunc_day(col) -%}date({{ col }}){%- endmacro %}
"""


def model(i, rng):
    cols = [f"col_{j}" for j in range(rng.randint(4, 12))]
    statuses = rng.sample(["placed", "shipped", "completed", "returned", "return_pending", "o'reilly"], 4)
    parents = [f"stg_model_{rng.randint(0, 999)}" for _ in range(rng.randint(1, 3))]
    mat = rng.choice(["table", "view", "incremental"])
    lines = [
        "{{ config(materialized='%s', tags=['nightly', 'tier_%d'], unique_key='id') }}" % (mat, i % 3),
        "",
        "{%- set payment_methods = " + json.dumps(statuses) + " -%}",
        "{%- set columns = " + json.dumps(cols) + " %}",
        "",
        "with",
    ]
    for k, p in enumerate(parents):
        lines.append("source_%d as (\n    select * from {{ ref('%s') }}\n)," % (k, p))
    lines += [
        "renamed as (",
        "    select",
        "        {{ generate_surrogate_key(['source_0.id', 'source_0.created_at']) }} as id,",
        "        {%- for col in columns %}",
        "        {{ col }}{% if col.endswith('_0') %} as {{ col | upper }}{% endif %},",
        "        {%- endfor %}",
        "        {{ cents_to_dollars('amount_cents') }} as amount,",
        "        {{ date_trunc_day('created_at') }} as created_day,",
        "        {{ pivot('status', payment_methods, prefix='n_') }}",
        "    from source_0",
    ]
    for k in range(1, len(parents)):
        lines.append("    left join source_%d using (id)" % k)
    lines += [
        "    {% if target.name == 'prod' %}where created_at >= '{{ var('start_date', '2020-01-01') }}'{% endif %}",
        "    {% if config.get('materialized') == 'incremental' and is_incremental %}",
        "    where created_at > (select max(created_at) from {{ this }})",
        "    {% endif %}",
        "    group by {% for n in range(1, columns | length + 2) %}{{ n }}{{ ', ' if not loop.last }}{% endfor %}",
        ")",
        "",
        "select * from renamed",
        "-- {{ columns | length }} columns, {{ payment_methods | map('upper') | join(', ') }}",
    ]
    return "\n".join(lines) + "\n"


def fnv1a(data: bytes, h: int) -> int:
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def make_env(directory: Path):
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"], undefined=jinja2.StrictUndefined)
    module = env.from_string((directory / "macros.sql").read_text()).module
    for name in ("generate_surrogate_key", "cents_to_dollars", "pivot", "date_trunc_day"):
        env.globals[name] = getattr(module, name)
    env.globals["ref"] = lambda name: '"main"."%s"' % name
    env.globals["var"] = lambda name, default=None: default
    return env


class Config:
    def __init__(self):
        self.values = {}

    def __call__(self, **kwargs):
        self.values.update(kwargs)
        return ""

    def get(self, key, default=None):
        return self.values.get(key, default)


def main():
    if sys.argv[1] == "generate":
        directory, n = Path(sys.argv[2]), int(sys.argv[3])
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "macros.sql").write_text(MACROS)
        rng = random.Random(7)
        for i in range(n):
            (directory / f"model_{i:05d}.sql").write_text(model(i, rng))
        return
    directory = Path(sys.argv[2])
    env = make_env(directory)
    files = sorted(directory.glob("model_*.sql"))
    sources = [(f.name, f.read_text()) for f in files]
    h = 0xCBF29CE484222325
    start = time.perf_counter()
    for name, src in sources:
        ctx = {"config": Config(), "target": {"name": "dev", "schema": "analytics"},
               "this": '"main"."%s"' % name[:-4], "is_incremental": True}
        out = env.from_string(src).render(ctx)
        h = fnv1a(out.encode(), h)
    elapsed = time.perf_counter() - start
    print(json.dumps({"engine": "jinja2", "templates": len(sources), "seconds": elapsed,
                      "us_per_template": elapsed / len(sources) * 1e6, "checksum": "%016x" % h}))


if __name__ == "__main__":
    main()
