#!/usr/bin/env python3
"""Development aid: build and test examples/opsflow_analytics on SQLite with Python Jinja2.

Not part of CI. It proves the project's SQL and the global project's macros right before
OpsFlow's own engine can run them:

1. checks the SQLite forms of the cross-database macros (read from the Swift sources in
   Sources/Compile/GlobalProject/) against answers computed in Python;
2. generates raw data (a small Python generator with the shape of Sources/Demo, or the CSV files
   the Swift generator wrote, with --csv-dir), loads it into `"raw.<table>"`;
3. renders every model with a minimal dbt-like context (ref/source/config/var/this/target,
   adapter.dispatch, return(), the `dbt` macro namespace, project macros), builds views and
   tables in dependency order into a real SQLite file;
4. runs every data test (generic tests rendered from the macros, the custom generic test, the
   singular tests) and prints PASS/WARN/FAIL;
5. recomputes every mart row in plain Python from the raw rows, following the documented rules,
   and compares (the oracle of the SQL); with --compare-dbt, also compares the rendered generic
   tests with the ones `dbt compile` (dbt-core) wrote;
6. prints the forecast table.

Relations follow OpsFlow's SQLite naming: `schema.identifier` is ONE double-quoted table name.

    python3 scripts/example_harness.py [--db PATH] [--days 90] [--orders-per-day 400]
                                       [--end-date 2026-11-29] [--csv-dir DIR] [--keep-sql DIR]
                                       [--compare-dbt examples/opsflow_analytics/target]

Exit code 0 when every model builds and no test fails (warnings allowed), else 1.
"""

import argparse
import csv
import datetime as dt
import hashlib
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "examples" / "opsflow_analytics"
GLOBAL_PROJECT = ROOT / "Sources" / "Compile" / "GlobalProject"


# --------------------------------------------------------------------------- macro loading


def swift_macro_sources():
    """The Jinja text of every `package let name: String = #\"\"\" … \"\"\"#` in the Swift files."""
    sources = {}
    for path in sorted(GLOBAL_PROJECT.glob("*.swift")):
        text = path.read_text()
        for match in re.finditer(r'package let (\w+): String = #"""\n(.*?)\n"""#', text, re.S):
            sources[match.group(1)] = match.group(2)
    return sources


def test_blocks_to_macros(source):
    """dbt's `{% test name(...) %}` block defines the macro `test_name` (dbt's own Jinja extension)."""
    source = re.sub(r"{%(-?)\s*test\s+(\w+)\s*\(", r"{%\1 macro test_\2(", source)
    return re.sub(r"{%(-?)\s*endtest\s*(-?)%}", r"{%\1 endmacro \2%}", source)


def macro_blocks(source):
    """Each `{% macro %}…{% endmacro %}` block on its own, as dbt parses macro files: a macro then
    finds its siblings through the context (where `return()` is handled), not as module locals."""
    pattern = re.compile(r"{%-?\s*macro\s.*?{%-?\s*endmacro\s*-?%}", re.S)
    return pattern.findall(source)


class MacroReturn(Exception):
    def __init__(self, value):
        self.value = value


def do_return(value):
    raise MacroReturn(value)


class CompilerError(Exception):
    pass


class Exceptions:
    @staticmethod
    def raise_compiler_error(message):
        raise CompilerError(message)

    @staticmethod
    def raise_not_implemented(message):
        raise CompilerError("not implemented: " + message)


class Namespace:
    """Attribute access over a dict of macros (`dbt.datediff`)."""

    def __init__(self, entries):
        self._entries = entries

    def __getattr__(self, name):
        try:
            return self._entries[name]
        except KeyError:
            raise AttributeError(name)


class Relation:
    def __init__(self, schema, identifier):
        self.schema = schema
        self.identifier = identifier
        self.database = None

    def __str__(self):
        return '"%s.%s"' % (self.schema, self.identifier)

    __html__ = __str__


class Config:
    """`config(...)` in a model records; `config.get(key, default)` in a test reads."""

    def __init__(self, values=None):
        self.values = dict(values or {})

    def __call__(self, **kwargs):
        self.values.update(kwargs)
        return ""

    def get(self, key, default=None):
        return self.values.get(key, default)

    def require(self, key):
        return self.values[key]


class Adapter:
    def __init__(self, project):
        self.project = project

    def type(self):
        return "sqlite"

    def dispatch(self, macro_name, macro_namespace=None):
        # dbt searches the root project first, then the namespace's package; within each,
        # `<adapter>__name` before `default__name`.
        for prefix in ("sqlite__", "default__"):
            for scope in (self.project.root_macros, self.project.dbt_macros):
                if prefix + macro_name in scope:
                    return scope[prefix + macro_name]
        raise CompilerError("adapter.dispatch: no sqlite__%s or default__%s" % (macro_name, macro_name))

    def quote(self, identifier):
        return '"%s"' % identifier


class Project:
    def __init__(self, path, target_schema="dev"):
        self.path = path
        self.target_schema = target_schema
        self.settings = yaml.safe_load((path / "dbt_project.yml").read_text())
        self.env = jinja2.Environment(
            extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
            undefined=jinja2.StrictUndefined,
        )
        sources = swift_macro_sources()
        self.global_sources = [sources[name] for name in
                               ("crossDatabaseMacrosSource", "namingMacrosSource", "genericTestMacrosSource")]
        self.root_sources = [test_blocks_to_macros(p.read_text())
                             for d in ("macros", "tests/generic") for p in sorted((path / d).glob("*.sql"))]
        self.global_templates = [self.env.from_string(block) for s in self.global_sources
                                 for block in macro_blocks(test_blocks_to_macros(s))]
        self.root_templates = [self.env.from_string(block) for s in self.root_sources for block in macro_blocks(s)]
        self.models = {p.stem: p for p in sorted((path / "models").rglob("*.sql"))}
        self.vars = self.settings.get("vars", {})
        self.root_macros = {}
        self.dbt_macros = {}

    # The folder config tree of dbt_project.yml: deeper folders win.
    def folder_config(self, model_path):
        tree = self.settings.get("models", {}).get(self.settings["name"], {})
        config = {}
        parts = model_path.relative_to(self.path / "models").parts[:-1]
        node = tree
        for part in parts:
            node = node.get(part, {}) if isinstance(node, dict) else {}
            for key, value in node.items():
                if key.startswith("+"):
                    config[key[1:]] = value
        return config

    def context(self, node_name=None, config=None, refs=None):
        """A fresh render context whose macros see it (and each other) at call time."""
        ctx = dict(self.env.globals)  # range, dict, namespace, … (shared=True skips the env globals)
        cfg = Config(config)

        def ref(name, version=None):
            if refs is not None:
                refs.append(name)
            return self.relation_for(name)

        def source(source_name, table_name):
            for entry in self.sources():
                if entry["name"] == source_name:
                    return Relation(entry.get("schema", source_name), table_name)
            raise CompilerError("unknown source %s" % source_name)

        def var(name, default=None):
            if name in self.vars:
                return self.vars[name]
            if default is not None:
                return default
            raise CompilerError("required var %r not found" % name)

        ctx.update(
            ref=ref, source=source, var=var, config=cfg, target=Namespace({"schema": self.target_schema,
                                                                           "database": "main",
                                                                           "type": "sqlite",
                                                                           "name": "dev"}),
            adapter=Adapter(self), exceptions=Exceptions(), should_store_failures=lambda: False,
            execute=True, modules=Namespace({"datetime": dt, "re": re}),
        )
        ctx["return"] = do_return

        def wrap(macro):
            def call(*args, **kwargs):
                try:
                    return macro(*args, **kwargs)
                except MacroReturn as result:
                    return result.value
            call.__name__ = macro.name
            return call

        def load(templates):
            loaded = {}
            for template in templates:
                module = template.make_module(vars=ctx, shared=True)
                for name in dir(module):
                    value = getattr(module, name)
                    if isinstance(value, jinja2.runtime.Macro):
                        loaded[name] = wrap(value)
            return loaded

        self.dbt_macros = load(self.global_templates)
        self.root_macros = load(self.root_templates)
        ctx.update(self.dbt_macros)
        ctx.update(self.root_macros)
        ctx["dbt"] = Namespace(self.dbt_macros)
        return ctx, cfg

    def sources(self):
        return yaml.safe_load((self.path / "models" / "sources.yml").read_text())["sources"]

    def schema_for(self, name):
        config = self.folder_config(self.models[name])
        ctx, _ = self.context()
        node = Namespace({"name": name, "version": None})
        schema = str(ctx["generate_schema_name"](config.get("schema"), node)).strip()
        alias = str(ctx["generate_alias_name"](config.get("alias"), node)).strip()
        return schema, alias

    def relation_for(self, name):
        if name not in self.models:
            raise CompilerError("ref to unknown model %r" % name)
        schema, alias = self.schema_for(name)
        return Relation(schema, alias)

    def render_model(self, name):
        refs = []
        config = self.folder_config(self.models[name])
        ctx, cfg = self.context(name, config, refs)
        sql = self.env.from_string(self.models[name].read_text()).render(ctx)
        return sql, refs, cfg.values

    def render_expression(self, text, ctx):
        return self.env.from_string("{{ %s }}" % text).render(ctx)


# --------------------------------------------------------------------------- macro checks


def check_cross_db_macros(project, db):
    """SQLite forms of dbt.* macros against answers computed in Python (the oracle)."""
    ctx, _ = project.context()
    dbt = ctx["dbt"]
    cases = []

    def days_between(a, b):
        return (dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days

    pairs = [("2026-01-31 23:50:00", "2026-02-01 00:10:00"), ("2026-03-15 12:00:00", "2026-01-01 00:00:00"),
             ("2024-02-28 10:00:00", "2025-03-01 09:00:00"), ("2026-11-29 13:59:59", "2026-11-30 14:00:00")]
    for a, b in pairs:
        da, db_ = dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "day"), days_between(a, b)))
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "month"),
                      (db_.year - da.year) * 12 + db_.month - da.month))
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "year"), db_.year - da.year))
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "quarter"),
                      (db_.year - da.year) * 4 + (db_.month - 1) // 3 - (da.month - 1) // 3))
        ha, hb = da.replace(minute=0, second=0), db_.replace(minute=0, second=0)
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "hour"), int((hb - ha).total_seconds() // 3600)))
        wa = da.date() - dt.timedelta(days=da.weekday())
        wb = db_.date() - dt.timedelta(days=db_.weekday())
        cases.append((dbt.datediff("'%s'" % a, "'%s'" % b, "week"), (wb - wa).days // 7))
    for n in (-7, -1, 0, 1, 30):
        base = dt.datetime(2026, 11, 29, 8, 30, 0)
        cases.append((dbt.dateadd("day", n, "'2026-11-29 08:30:00'"), str(base + dt.timedelta(days=n))))
        cases.append((dbt.dateadd("hour", n, "'2026-11-29 08:30:00'"), str(base + dt.timedelta(hours=n))))
    # Month steps clamp to the last day of the month (PostgreSQL's interval arithmetic).
    cases.append((dbt.dateadd("month", 1, "'2026-01-31 10:00:00'"), "2026-02-28 10:00:00"))
    cases.append((dbt.dateadd("month", -1, "'2024-03-31'"), "2024-02-29 00:00:00"))
    cases.append((dbt.dateadd("quarter", 1, "'2026-11-30 00:00:00'"), "2027-02-28 00:00:00"))
    cases.append((dbt.dateadd("year", 1, "'2024-02-29'"), "2025-02-28 00:00:00"))
    cases.append((dbt.dateadd("month", 2, "'2026-01-15 07:00:00'"), "2026-03-15 07:00:00"))
    cases.append((dbt.dateadd("week", 2, "'2026-11-29'"), "2026-12-13 00:00:00"))
    ts = "'2026-11-26 17:45:12'"  # a Thursday
    cases += [(dbt.date_trunc("day", ts), "2026-11-26 00:00:00"), (dbt.date_trunc("week", ts), "2026-11-23 00:00:00"),
              (dbt.date_trunc("week", "'2026-11-29 10:00:00'"), "2026-11-23 00:00:00"),
              (dbt.date_trunc("week", "'2026-11-23 10:00:00'"), "2026-11-23 00:00:00"),
              (dbt.date_trunc("month", ts), "2026-11-01 00:00:00"), (dbt.date_trunc("quarter", ts), "2026-10-01 00:00:00"),
              (dbt.date_trunc("year", ts), "2026-01-01 00:00:00"), (dbt.date_trunc("hour", ts), "2026-11-26 17:00:00")]
    cases += [(dbt.last_day("'2024-02-10'", "month"), "2024-02-29"), (dbt.last_day("'2026-11-26'", "quarter"), "2026-12-31"),
              (dbt.last_day("'2026-05-05'", "year"), "2026-12-31")]
    for text, part in (("a,b,c", 1), ("a,b,c", 2), ("a,b,c", 3), ("a,b,c", 4), ("a,,c", 2), ("abc", 1), ("a--b--c", 2)):
        delim = "--" if "--" in text else ","
        parts = text.split(delim)
        cases.append((dbt.split_part("'%s'" % text, "'%s'" % delim, part), parts[part - 1] if part <= len(parts) else ""))
    cases += [(dbt.right("'abcdef'", 2), "ef"), (dbt.right("'abc'", 0), ""), (dbt.right("'abc'", 5), "abc"),
              (dbt.position("'c'", "'abcabc'"), 3), (dbt.position("'z'", "'abc'"), 0),
              (dbt.concat(["'a'", "'-'", "'b'"]), "a-b"), (dbt.hash("'opsflow'"), hashlib.md5(b"opsflow").hexdigest()),
              (dbt.safe_cast("'42'", dbt.type_int()), 42), (dbt.safe_cast("'2026-11-29 10:00:00'", dbt.type_timestamp()),
                                                             "2026-11-29 10:00:00"),
              (dbt.cast_bool_to_text("1 = 1"), "true"), (dbt.cast_bool_to_text("1 = 0"), "false"),
              (dbt.string_literal("O''Brien"), "O'Brien"), (dbt.length("'héllo'"), 5),
              (dbt.replace("'a-b-c'", "'-'", "'+'"), "a+b+c"),
              ("'%s'" % dbt.escape_single_quotes("it's"), "it's")]
    failures = 0
    for sql, expected in cases:
        got = db.execute("select " + str(sql)).fetchone()[0]
        if got != expected:
            failures += 1
            print("  MACRO MISMATCH: select %s -> %r, expected %r" % (" ".join(str(sql).split()), got, expected))
    aggregates = [("select %s from (select 'b' as v union all select 'a')" % dbt.any_value("v"), "a"),
                  ("select %s from (select 0 as v union all select 1)" % dbt.bool_or("v = 1"), 1),
                  ("select %s from (select 'x' as v union all select 'y')" % dbt.listagg("v", "'|'"), "x|y")]
    for sql, expected in aggregates:
        got = db.execute(sql).fetchone()[0]
        if got != expected:
            failures += 1
            print("  MACRO MISMATCH: %s -> %r, expected %r" % (sql, got, expected))
    # Naming macros: dbt's default schema rule and alias rule.
    node = Namespace({"name": "stg_orders", "version": None})
    naming = [(ctx["generate_schema_name"](None, node), "dev"), (ctx["generate_schema_name"](" staging ", node), "dev_staging"),
              (ctx["generate_alias_name"](None, node), "stg_orders"), (ctx["generate_alias_name"]("orders", node), "orders"),
              (ctx["generate_alias_name"](None, Namespace({"name": "m", "version": "2"})), "m_v2"),
              (ctx["generate_database_name"]("other", node), "other")]
    for got, expected in naming:
        if str(got).strip() != expected:
            failures += 1
            print("  NAMING MISMATCH: %r, expected %r" % (got, expected))
    total = len(cases) + len(aggregates) + len(naming)
    print("macro checks: %d/%d match the Python oracle" % (total - failures, total))
    return failures


# --------------------------------------------------------------------------- data


def python_demo_data(days, per_day, end, seed=42):
    """A small generator with the shape of Sources/Demo (not byte-identical to it)."""
    rng = random.Random(seed)
    sellers = ["Casa Aurora", "Loja Central", "Mercado Sol", "Empório do Sul", "Silva, Costa & Filhos"]
    clients = [("Client_A D2D", ["D2D"], 20), ("Client_A W2D", ["W2D"], 8), ("Client_A FM", ["FM"], 8),
               ("Client_A CROSS BORDER", ["CROSS BORDER"], 4), ("Client_B", ["D2D", "W2D"], 20),
               ("Client_C", ["D2D", "CROSS BORDER"], 15), (None, ["D2D", "W2D", "FM", "CROSS BORDER"], 24),
               ("TEST", ["D2D"], 1)]
    weekday = [1.35, 1.15, 1.05, 1.0, 0.95, 0.8, 0.55]  # Monday first (Python's weekday())
    end_limit = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    orders, scans = [], []
    start = end - dt.timedelta(days=days - 1)
    fmt = "%Y-%m-%d %H:%M:%S"
    for i in range(days):
        day = start + dt.timedelta(days=i)
        volume = int(per_day * weekday[day.weekday()] / 0.95 * (0.9 + 0.2 * i / max(1, days - 1)) * rng.uniform(0.95, 1.05))
        if i % 30 == 17:
            volume *= 2
        created = sorted(dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=rng.randrange(6 * 3600, 86400))
                         for _ in range(volume))
        for n, at in enumerate(created):
            name, types, _ = rng.choices(clients, weights=[c[2] for c in clients])[0]
            name = name or rng.choice(sellers)
            waybill = "OF%s%07d" % (day.strftime("%Y%m%d"), n + 1)
            lag = rng.choices([0, 1, 2, 3, 4, 6, None], weights=[35, 30, 15, 8, 5, 4, 3])[0]
            pickup = None
            if lag is not None:
                hour = rng.choice([rng.randrange(6, 14), rng.randrange(14, 22), rng.choice([22, 23, 0, 3, 5])])
                pickup = dt.datetime.combine(day + dt.timedelta(days=lag), dt.time(hour)) + dt.timedelta(seconds=rng.randrange(3600))
                if pickup <= at:
                    pickup = at + dt.timedelta(minutes=rng.randrange(30, 240))
                if pickup >= end_limit:
                    pickup = None
            orders.append((waybill, at.strftime(fmt), pickup.strftime(fmt) if pickup else None, name, rng.choice(types)))
            if pickup:
                first = pickup + dt.timedelta(hours=rng.uniform(1, 10))
                hub = "CDC-SP" if rng.random() < 0.6 else rng.choice(["HUB-RJ", "HUB-BH"])
                if first < end_limit:
                    scans.append((waybill, first.strftime(fmt), hub, name))
                if hub != "CDC-SP" and rng.random() < 0.5 and first + dt.timedelta(hours=8) < end_limit:
                    scans.append((waybill, (first + dt.timedelta(hours=8)).strftime(fmt), "CDC-SP", name))
    return orders, scans


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [tuple(v if v != "" else None for v in row) for row in reader]


def load_raw(db, orders, scans):
    for table, columns, rows in (("im_global_collect_rate", ["waybillNo", "createDate", "pickupTime", "clientName",
                                                             "businessType"], orders),
                                 ("im_arrival_scan", ["waybillNo", "scanDate", "scanStation", "clientName"], scans)):
        name = '"raw.%s"' % table
        db.execute("drop table if exists %s" % name)
        db.execute("create table %s (%s)" % (name, ", ".join("%s TEXT" % c for c in columns)))
        db.executemany("insert into %s values (%s)" % (name, ", ".join("?" * len(columns))), rows)
    db.commit()


# --------------------------------------------------------------------------- Python oracle of the marts


def shift_of(hour):
    return "T1" if 6 <= hour <= 13 else ("T2" if 14 <= hour <= 21 else "T3")


def python_marts(orders, scans, vars_):
    """The marts recomputed in plain Python from the raw rows, following the documented rules."""
    def client_type(name):
        return "Client_A" if name[:8] == "Client_A" else (name if name in ("Client_B", "Client_C") else "Regional_Sales")

    def business_type(ctype, raw):
        return "D2D" if ctype == "Regional_Sales" else ("CB" if raw == "CROSS BORDER" else raw)

    clean = []
    for waybill, created, picked, name, raw_bt in orders:
        name = name.strip()
        if name.upper() == "TEST":
            continue
        ctype = client_type(name)
        clean.append((created, picked, ctype, business_type(ctype, raw_bt.strip().upper())))
    counts, segments, dates = {}, set(), set()
    for created, _, ctype, btype in clean:
        key = (created[:10], ctype, btype)
        counts[key] = counts.get(key, 0) + 1
        segments.add((ctype, btype))
        dates.add(created[:10])
    daily = {(d, c, b): counts.get((d, c, b), 0) for d in dates for c, b in segments}

    def shifted(day, n):
        return str(dt.date.fromisoformat(day) + dt.timedelta(days=n))

    growth = {}
    for (d, c, b), n in daily.items():
        prev, week = daily.get((shifted(d, -1), c, b)), daily.get((shifted(d, -7), c, b))
        growth[(d, c, b)] = (n, n / prev if prev else None, n / week if week else None)

    operational, pickups = {}, {}
    for created, picked, ctype, btype in clean:
        if picked is None:
            continue
        pdate = picked[:10]
        lag = min(5, (dt.date.fromisoformat(pdate) - dt.date.fromisoformat(created[:10])).days)
        shift = shift_of(int(picked[11:13]))
        entry = operational.setdefault((pdate, ctype, btype), {"n": 0, "lag": [0] * 6, "shift": {"T1": 0, "T2": 0, "T3": 0}})
        entry["n"] += 1
        entry["lag"][lag] += 1
        entry["shift"][shift] += 1
        pickups[(pdate, ctype, btype, shift)] = pickups.get((pdate, ctype, btype, shift), 0) + 1
    operational = {k: [v["lag"][i] / v["n"] for i in range(6)] + [v["shift"][s] / v["n"] for s in ("T1", "T2", "T3")]
                   for k, v in operational.items()}

    cdc = {}
    for waybill, scanned, station, name in scans:
        name = name.strip()
        if name.upper() == "TEST" or station.strip() != vars_["cdc_station"]:
            continue
        entry = cdc.setdefault((scanned[:10], client_type(name)), {"T1": 0, "T2": 0, "T3": 0})
        entry[shift_of(int(scanned[11:13]))] += 1
    cdc = {k: [v[s] / sum(v.values()) for s in ("T1", "T2", "T3")] for k, v in cdc.items()}

    # The forecast (mart_volume_forecast's description).
    weeks, spike = int(vars_.get("forecast_history_weeks", 4)), float(vars_.get("forecast_spike_factor", 1.5))
    last = max(dates)

    def before_last(day):
        return (dt.date.fromisoformat(last) - dt.date.fromisoformat(day)).days

    def weekday(day):  # 0 = Sunday
        return (dt.date.fromisoformat(day).weekday() + 1) % 7

    history = [(d, c, b, n) for (d, c, b), (n, _, wow) in growth.items()
               if before_last(d) < 7 * weeks and not (wow is not None and wow > spike)]
    sums = {}
    for d, c, b, n in history:
        sums.setdefault((c, b, weekday(d)), []).append(n)
    means = {k: sum(v) / len(v) for k, v in sums.items()}
    ratios = {}
    for d, c, b, n in history:
        if before_last(d) < 7 and means[(c, b, weekday(d))]:
            ratios.setdefault((c, b), []).append(n / means[(c, b, weekday(d))])
    trend = {k: min(1.5, max(0.5, sum(v) / len(v))) for k, v in ratios.items()}
    last_pickup = max(k[0] for k in pickups)
    recent = {k: v for k, v in pickups.items()
              if (dt.date.fromisoformat(last_pickup) - dt.date.fromisoformat(k[0])).days < 7 * weeks}
    overall = {s: sum(v for k, v in recent.items() if k[3] == s) / sum(recent.values()) for s in ("T1", "T2", "T3")}
    forecast = {}
    for offset in range(1, int(vars_["forecast_horizon_days"]) + 1):
        day = shifted(last, offset)
        for c, b in segments:
            mean = means.get((c, b, weekday(day)))
            if mean is None:
                continue
            total = sum(v for k, v in recent.items() if k[1:3] == (c, b))
            for s in ("T1", "T2", "T3"):
                share = (sum(v for k, v in recent.items() if k[1:] == (c, b, s)) / total) if total else overall[s]
                forecast[(day, c, b, s)] = round(mean * trend.get((c, b), 1.0) * share, 2)
    return growth, operational, cdc, forecast


def check_marts_against_python(db, project, orders, scans):
    """Every row of every mart against the Python recomputation (the oracle of the SQL)."""
    growth, operational, cdc, forecast = python_marts(orders, scans, project.vars)
    rel = project.relation_for
    problems = []

    def close(a, b, tolerance=1e-9):
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tolerance)

    rows = db.execute("select order_date, client_type, business_type, orders_count, day_over_day_growth, "
                      "week_over_week_growth from %s" % rel("mart_natural_growth_daily")).fetchall()
    if len(rows) != len(growth):
        problems.append("mart_natural_growth_daily: %d rows, Python %d" % (len(rows), len(growth)))
    for d, c, b, n, dod, wow in rows:
        expected = growth.get((d, c, b))
        if expected is None or expected[0] != n or not close(dod, expected[1]) or not close(wow, expected[2]):
            problems.append("mart_natural_growth_daily %s: %r vs Python %r" % ((d, c, b), (n, dod, wow), expected))
    rows = db.execute("select pickup_date, client_type, business_type, ratio_created_t, ratio_created_t_minus_1, "
                      "ratio_created_t_minus_2, ratio_created_t_minus_3, ratio_created_t_minus_4, ratio_created_others, "
                      "ratio_shift_t1, ratio_shift_t2, ratio_shift_t3 from %s" % rel("mart_operational_ratios")).fetchall()
    if len(rows) != len(operational):
        problems.append("mart_operational_ratios: %d rows, Python %d" % (len(rows), len(operational)))
    for row in rows:
        expected = operational.get(tuple(row[:3]))
        if expected is None or not all(close(a, b) for a, b in zip(row[3:], expected)):
            problems.append("mart_operational_ratios %s differs" % (row[:3],))
    rows = db.execute("select scan_date, client_type, ratio_shift_t1, ratio_shift_t2, ratio_shift_t3 from %s"
                      % rel("mart_cdc_ratios")).fetchall()
    if len(rows) != len(cdc):
        problems.append("mart_cdc_ratios: %d rows, Python %d" % (len(rows), len(cdc)))
    for row in rows:
        expected = cdc.get(tuple(row[:2]))
        if expected is None or not all(close(a, b) for a, b in zip(row[2:], expected)):
            problems.append("mart_cdc_ratios %s differs" % (row[:2],))
    rows = db.execute("select forecast_date, client_type, business_type, shift, forecast_orders from %s"
                      % rel("mart_volume_forecast")).fetchall()
    if len(rows) != len(forecast):
        problems.append("mart_volume_forecast: %d rows, Python %d" % (len(rows), len(forecast)))
    for row in rows:
        expected = forecast.get(tuple(row[:4]))
        if expected is None or not close(row[4], expected, 0.011):
            problems.append("mart_volume_forecast %s: %r vs Python %r" % (row[:4], row[4], expected))
    for problem in problems[:10]:
        print("  ORACLE MISMATCH: " + problem)
    print("marts against the Python oracle: %s (%d growth, %d operational, %d cdc, %d forecast rows)"
          % ("all rows match" if not problems else "%d mismatches" % len(problems),
             len(growth), len(operational), len(cdc), len(forecast)))
    return len(problems)


# --------------------------------------------------------------------------- build and test


def topological(models, deps):
    order, seen = [], set()

    def visit(name, stack):
        if name in seen:
            return
        if name in stack:
            raise CompilerError("cycle: " + " -> ".join(stack + [name]))
        for parent in deps[name]:
            visit(parent, stack + [name])
        seen.add(name)
        order.append(name)

    for name in sorted(models):
        visit(name, [])
    return order


def property_tests(project):
    """(test name, model, column, kwargs, config) for every data test in the property files."""
    tests = []
    for path in sorted((project.path / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            for column in model.get("columns", []):
                for entry in column.get("data_tests", column.get("tests", [])) or []:
                    if isinstance(entry, str):
                        name, args = entry, {}
                    else:
                        (name, args), = entry.items()
                        args = dict(args or {})
                    config = dict(args.pop("config", {}) or {})
                    # dbt >= 1.10 nests test arguments under `arguments:`; top-level ones still work.
                    args.update(args.pop("arguments", {}) or {})
                    tests.append((name, model["name"], column["name"], args, config))
    return tests


def run_test(db, sql, severity):
    started = time.time()
    failures = db.execute("select count(*) from (\n%s\n) dbt_internal_test" % sql).fetchone()[0]
    status = "PASS" if failures == 0 else ("WARN" if severity == "warn" else "FAIL")
    return status, failures, time.time() - started


def compare_with_dbt(target, rendered_tests):
    """dbt-core as the oracle: its compiled generic tests (default__test_* macros, which no adapter
    overrides) must equal ours once its relation names are written the OpsFlow SQLite way."""
    same, different = 0, 0
    for path in sorted(target.glob("compiled/*/models/**/*.yml/*.sql")):
        ours = rendered_tests.get(path.stem)
        if ours is None:  # dbt names tests with arguments after their values or a hash
            continue
        theirs = re.sub(r'(?:"\w+"\.)?"(\w+)"\."(\w+)"', r'"\1.\2"', path.read_text())
        if theirs.strip() == ours.strip():
            same += 1
        else:
            different += 1
            print("  DIFFERS FROM dbt compile: %s" % path.stem)
    print("generic tests identical to dbt compile: %d of %d compared" % (same, same + different))
    return different


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=None, help="SQLite file to build into (default: a temporary file)")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--orders-per-day", type=int, default=400)
    parser.add_argument("--end-date", default="2026-11-29")
    parser.add_argument("--csv-dir", default=None, help="load the CSV files written by the Swift generator instead")
    parser.add_argument("--keep-sql", default=None, help="write the rendered SQL of every node into this folder")
    parser.add_argument("--compare-dbt", default=None, metavar="TARGET_DIR",
                        help="compare the rendered generic tests with `dbt compile`'s (its target/ folder)")
    args = parser.parse_args()

    db_path = args.db or os.path.join(tempfile.mkdtemp(prefix="opsflow-harness-"), "opsflow.sqlite")
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.create_function("md5", 1, lambda v: None if v is None else hashlib.md5(str(v).encode()).hexdigest(),
                       deterministic=True)
    project = Project(PROJECT)
    problems = check_cross_db_macros(project, db)

    started = time.time()
    if args.csv_dir:
        orders_file = sorted(Path(args.csv_dir).glob("im_global_collect_rate_*.csv"))[-1]
        scans_file = sorted(Path(args.csv_dir).glob("im_arrival_scan_*.csv"))[-1]
        orders, scans = csv_rows(orders_file)[1], csv_rows(scans_file)[1]
        origin = "%s + %s" % (orders_file.name, scans_file.name)
    else:
        orders, scans = python_demo_data(args.days, args.orders_per_day, dt.date.fromisoformat(args.end_date))
        origin = "Python generator, %d days x ~%d orders/day" % (args.days, args.orders_per_day)
    load_raw(db, orders, scans)
    print("raw data: %d orders, %d scans (%s) loaded in %.1fs" % (len(orders), len(scans), origin, time.time() - started))

    rendered, deps, configs = {}, {}, {}
    for name in project.models:
        rendered[name], refs, configs[name] = project.render_model(name)
        deps[name] = sorted(set(refs))
    order = topological(project.models, deps)
    keep = Path(args.keep_sql) if args.keep_sql else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)

    built = 0
    for index, name in enumerate(order, 1):
        relation = project.relation_for(name)
        kind = configs[name].get("materialized", "view")
        started = time.time()
        if keep:
            (keep / (name + ".sql")).write_text(rendered[name])
        try:
            db.execute("drop view if exists %s" % relation)
            db.execute("drop table if exists %s" % relation)
            db.execute("create %s %s as\n%s" % ("table" if kind == "table" else "view", relation, rendered[name]))
            if kind == "view":  # a view's SQL errors only show when it is read
                db.execute("select * from %s limit 1" % relation).fetchall()
            db.commit()
            seconds = time.time() - started
            rows = db.execute("select count(*) from %s" % relation).fetchone()[0] if kind == "table" else None
            built += 1
            print("%2d of %d OK created sql %s model %s%s in %.2fs"
                  % (index, len(order), kind, str(relation).strip('"'),
                     "" if rows is None else " (%d rows)" % rows, seconds))
        except sqlite3.Error as error:
            problems += 1
            print("%2d of %d ERROR creating %s: %s" % (index, len(order), relation, error))

    counts = {"PASS": 0, "WARN": 0, "FAIL": 0, "ERROR": 0}
    rendered_tests = {}
    tests = property_tests(project)
    for name, model, column, kwargs, config in tests:
        ctx, _ = project.context(config={**config, "severity": config.get("severity", "error")})
        label = "%s_%s_%s" % (name, model, column)
        try:
            call_args = {}
            for key, value in kwargs.items():
                if isinstance(value, str) and re.match(r"^\s*(ref|source)\(", value):
                    value = jinja2.Template("{{ %s }}" % value).render(ref=ctx["ref"], source=ctx["source"])
                call_args[key] = value
            call_args["model"] = ctx["get_where_subquery"](project.relation_for(model))
            call_args["column_name"] = column
            macro = ctx.get("test_" + name)
            if macro is None:
                raise CompilerError("no generic test %r" % name)
            sql = str(macro(**call_args))
            rendered_tests[label] = sql
            if keep:
                (keep / ("test_" + label + ".sql")).write_text(sql)
            status, failures, seconds = run_test(db, sql, config.get("severity", "error"))
        except (CompilerError, sqlite3.Error, jinja2.TemplateError) as error:
            status, failures, seconds = "ERROR", 0, 0.0
            print("   %s: %s" % (label, error))
        counts[status] += 1
        print("%-5s %-70s failures=%d (%.2fs)" % (status, label, failures, seconds))
    for path in sorted((project.path / "tests").glob("*.sql")):
        ctx, _ = project.context()
        sql = project.env.from_string(path.read_text()).render(ctx)
        if keep:
            (keep / path.name).write_text(sql)
        try:
            status, failures, seconds = run_test(db, sql, "error")
        except sqlite3.Error as error:
            status, failures, seconds = "ERROR", 0, 0.0
            print("   %s: %s" % (path.stem, error))
        counts[status] += 1
        print("%-5s %-70s failures=%d (%.2fs)" % (status, path.stem, failures, seconds))

    problems += check_marts_against_python(db, project, orders, scans)
    if args.compare_dbt:
        problems += compare_with_dbt(Path(args.compare_dbt), rendered_tests)

    print("\nmodels built: %d of %d; tests: PASS=%d WARN=%d FAIL=%d ERROR=%d TOTAL=%d"
          % (built, len(order), counts["PASS"], counts["WARN"], counts["FAIL"], counts["ERROR"], sum(counts.values())))

    forecast = project.relation_for("mart_volume_forecast")
    print("\nForecast (%s), orders per day and shift:" % str(forecast).strip('"'))
    rows = db.execute("select forecast_date, weekday_name, client_type, business_type, "
                      "sum(case when shift = 'T1' then forecast_orders end), "
                      "sum(case when shift = 'T2' then forecast_orders end), "
                      "sum(case when shift = 'T3' then forecast_orders end), sum(forecast_orders) "
                      "from %s group by 1, 2, 3, 4 order by 1, 3, 4" % forecast).fetchall()
    print("%-10s %-3s %-14s %-4s %9s %9s %9s %9s" % ("date", "day", "client_type", "bt", "T1", "T2", "T3", "total"))
    for row in rows:
        print("%-10s %-3s %-14s %-4s %9.1f %9.1f %9.1f %9.1f" % row)
    totals = db.execute("select forecast_date, weekday_name, sum(forecast_orders) from %s group by 1, 2 order by 1"
                        % forecast).fetchall()
    print("\nDaily totals: " + ", ".join("%s %s %.0f" % row for row in totals))
    print("database: %s" % db_path)
    db.close()
    return 0 if problems == 0 and counts["FAIL"] == 0 and counts["ERROR"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
