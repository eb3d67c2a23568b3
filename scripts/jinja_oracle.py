#!/usr/bin/env python3
"""Differential oracle for the Jinja engine: Python Jinja2 renders every case.

Each case in Tests/JinjaTests/Inputs/ is `<case>.txt`: a JSON context, a line `---`, then the
template. Beside it the oracle writes `<case>.expected` (the exact bytes Jinja2 renders) or
`<case>.err` (Jinja2 raised; the file holds the exception class name).

Jinja2 is configured as dbt configures it: extensions `do` and `loopcontrols`, autoescape off,
default whitespace settings. Undefined is `StrictUndefined`, except for cases whose name starts
with `lenient_` (plain `jinja2.Undefined`, as in dbt's parse phase). Templates that import or
include load them from Inputs/_templates/.

    python3 scripts/jinja_oracle.py --write   # regenerate expected files
    python3 scripts/jinja_oracle.py --check   # re-render and fail on any difference
"""
import argparse
import json
import sys
from pathlib import Path

import jinja2

INPUTS = Path(__file__).resolve().parent.parent / "Tests" / "JinjaTests" / "Inputs"
SEPARATOR = "\n---\n"


def make_env(lenient: bool) -> jinja2.Environment:
    return jinja2.Environment(
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
        undefined=jinja2.Undefined if lenient else jinja2.StrictUndefined,
        loader=jinja2.FileSystemLoader(str(INPUTS / "_templates")),
        autoescape=False,
    )


def split_case(raw: str):
    if SEPARATOR not in raw:
        raise SystemExit("case without '---' line")
    ctx, template = raw.split(SEPARATOR, 1)
    return json.loads(ctx), template


def render_case(path: Path):
    """Returns ('expected', bytes) or ('err', bytes)."""
    raw = path.read_bytes().decode("utf-8")
    ctx, template = split_case(raw)
    env = make_env(path.stem.startswith("lenient_"))
    try:
        out = env.from_string(template).render(**ctx)
        return "expected", out.encode("utf-8")
    except Exception as exc:  # any Jinja2 failure is an error case
        return "err", (type(exc).__name__ + "\n").encode("utf-8")


def parser_fixtures(write: bool) -> int:
    """Inputs/_parser/<name>.tmpl -> <name>.ast: Jinja2's repr of its parse tree."""
    bad = 0
    env = make_env(False)
    for tmpl in sorted((INPUTS / "_parser").glob("*.tmpl")):
        data = (repr(env.parse(tmpl.read_text(encoding="utf-8"))) + "\n").encode("utf-8")
        ast = tmpl.with_suffix(".ast")
        if write:
            ast.write_bytes(data)
        elif not ast.exists() or ast.read_bytes() != data:
            print(f"DIFF _parser/{tmpl.name}", file=sys.stderr)
            bad += 1
    return bad


def main() -> int:
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true")
    g.add_argument("--check", action="store_true")
    args = ap.parse_args()
    cases = sorted(INPUTS.glob("*.txt"))
    bad = 0
    counts = {"expected": 0, "err": 0}
    for case in cases:
        kind, data = render_case(case)
        counts[kind] += 1
        target = case.with_suffix("." + kind)
        other = case.with_suffix(".err" if kind == "expected" else ".expected")
        if args.write:
            target.write_bytes(data)
            if other.exists():
                other.unlink()
        else:
            if not target.exists() or target.read_bytes() != data or other.exists():
                print(f"DIFF {case.name}: oracle says {kind}", file=sys.stderr)
                bad += 1
    bad += parser_fixtures(args.write)
    print(f"jinja oracle (Jinja2 {jinja2.__version__}): {len(cases)} cases, "
          f"{counts['expected']} outputs, {counts['err']} errors, {bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
