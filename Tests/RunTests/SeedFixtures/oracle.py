"""The oracle for OpsFlow's seed type inference: what dbt does with each fixture CSV.

Reads every fixture with dbt's own reader (dbt_common.clients.agate_helper.from_csv, i.e. agate
with dbt's type tester) and asks dbt-bigquery for each column's type
(BigQueryAdapter.convert_type), then writes expected.json. The cells are agate's parsed values
written in the shape OpsFlow stores them (integers, floats, ISO dates, UTC timestamps).

Run it in a virtual environment with the packages dbt uses:
    python3 -m venv /tmp/seed-oracle
    /tmp/seed-oracle/bin/pip install "dbt-core==1.12.0" "dbt-core-experimental-parser==2.0.0a4" dbt-bigquery
    /tmp/seed-oracle/bin/python Tests/RunTests/SeedFixtures/oracle.py
(agate 1.9.1, dbt-common 1.39.0, dbt-bigquery 1.12.1 produced the committed expected.json.)
"""
import csv
import datetime
import decimal
import json
import os

from dbt.adapters.bigquery import BigQueryAdapter
from dbt_common.clients import agate_helper

HERE = os.path.dirname(os.path.abspath(__file__))

# fixture file -> (delimiter, column_types keys as dbt passes them to from_csv as text_columns)
CASES = {
    "types.csv": (",", []),
    "quoted.csv": (",", []),
    "semicolon.csv": (";", []),
    "header_only.csv": (",", []),
    "codes.csv": (",", []),
    "codes.csv#override": (",", ["zip", "store"]),
}


def cell(value, bq_type):
    if value is None:
        return None
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, decimal.Decimal):
        if bq_type == "int64":
            return {"int": str(int(value))}
        return {"real": float(value)}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            text += ".%06d" % value.microsecond
        return {"text": text}
    if isinstance(value, datetime.date):
        return {"text": value.isoformat()}
    return {"text": str(value)}


def main():
    from importlib.metadata import version
    out = {"versions": {name: version(name) for name in ("agate", "dbt-common", "dbt-bigquery")},
           "cases": {}}
    for case, (delimiter, text_columns) in CASES.items():
        path = os.path.join(HERE, case.split("#")[0])
        table = agate_helper.from_csv(path, text_columns, delimiter=delimiter)
        types = [BigQueryAdapter.convert_type(table, i) for i in range(len(table.column_names))]
        with open(path, encoding="utf-8-sig", newline="") as fp:
            raw = list(csv.reader(fp, delimiter=delimiter))
        out["cases"][case] = {
            "delimiter": delimiter,
            "text_columns": text_columns,
            "columns": [
                {"name": name, "agate": type(t).__name__, "bigquery": bq}
                for name, t, bq in zip(table.column_names, table.column_types, types)
            ],
            "raw": raw,
            "rows": [[cell(v, types[i]) for i, v in enumerate(row.values())] for row in table.rows],
        }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as fp:
        json.dump(out, fp, indent=1, ensure_ascii=False)
        fp.write("\n")


if __name__ == "__main__":
    main()
