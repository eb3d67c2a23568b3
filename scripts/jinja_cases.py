#!/usr/bin/env python3
"""Writes the generated differential cases (Tests/JinjaTests/Inputs/g_*.txt).

Only the templates and contexts are written here; the expected outputs always come from
Python Jinja2 via `scripts/jinja_oracle.py --write`.
"""
import json
from pathlib import Path

INPUTS = Path(__file__).resolve().parent.parent / "Tests" / "JinjaTests" / "Inputs"
CASES = []


def case(area, template, ctx=None, lenient=False):
    CASES.append((area, template, ctx or {}, lenient))


def many(area, templates, ctx=None, lenient=False):
    for t in templates:
        case(area, t, ctx, lenient)


# --- literals and printing -------------------------------------------------------------
many("lit", [
    "{{ 1 }}|{{ -3 }}|{{ 1_000 }}|{{ 0x1F }}|{{ 0o17 }}|{{ 0b101 }}",
    "{{ 1.0 }}|{{ 1.5 }}|{{ 0.1 + 0.2 }}|{{ 1e5 }}|{{ 1e-5 }}|{{ 1e16 }}|{{ 1e15 }}|{{ 123456789.125 }}",
    "{{ 2.5e-4 }}|{{ 0.0001 }}|{{ 100.0 }}|{{ 3.14159265358979 }}|{{ -0.0 }}|{{ 1.5e300 * 1e10 }}",
    "{{ 'a' }}|{{ \"b\" }}|{{ 'it\\'s' }}|{{ \"q\\\"q\" }}|{{ 'tab\\tx' }}|{{ 'nl\\nx' }}",
    "{{ 'a' 'b' }}|{{ '\\x41\\u00e9' }}|{{ 'back\\\\slash' }}|{{ '\\d' }}",
    "{{ true }}|{{ True }}|{{ false }}|{{ False }}|{{ none }}|{{ None }}",
    "{{ [1, 'a', none, true, 1.5] }}|{{ [] }}|{{ [[1], [2, [3]]] }}",
    "{{ (1, 2) }}|{{ (1,) }}|{{ () }}|{{ 1, 2 }}",
    "{{ {'a': 1, 'b': 'x'} }}|{{ {} }}|{{ {1: 'one', 'k': [1]} }}|{{ {'n': none} }}",
    "{{ ['it\\'s', \"q\\\"\", 'both\\'\"', 'nl\\n'] }}",
    "{{ ['é', 'ü'] }}|{{ 'ünïcödé' }}",
    "{{ [1.0, 2.50, 1e-7, 1e22] }}",
    "{{ {'a': {'b': {'c': [1, {'d': none}]}}} }}",
    "{{ ['a', ('b', 1), {'c': (2,)}] }}",
    "{{ 12345678901234567 }}|{{ -9223372036854775807 }}",
    "{{ 10 / 4 }}|{{ 10 / 5 }}|{{ 1 / 3 }}|{{ 2 / 3 }}|{{ 7 / 7.0 }}",
    "{{ 0.1 * 3 }}|{{ 1.1 * 1.1 }}|{{ 100 * 1.1 }}|{{ 1 / 7 }}",
    "{{ 5e-324 }}|{{ 1.7976931348623157e308 }}|{{ 2 ** 0.5 }}",
])

# --- arithmetic and operators ------------------------------------------------------------
many("ops", [
    "{{ 7 + 3 }}|{{ 7 - 10 }}|{{ 7 * 3 }}|{{ 7 / 2 }}|{{ 7 // 2 }}|{{ 7 % 3 }}|{{ 2 ** 10 }}",
    "{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}|{{ 7.5 // 2 }}|{{ -7.5 % 2 }}|{{ 2 ** -1 }}",
    "{{ 2 ** 3 ** 2 }}|{{ -2 ** 2 }}|{{ (-2) ** 2 }}|{{ 2 * 3 + 4 }}|{{ 2 + 3 * 4 }}",
    "{{ 1 + 2.5 }}|{{ true + 1 }}|{{ 3 * 'ab' }}|{{ 'ab' * 3 }}|{{ [1] * 3 }}|{{ [1, 2] + [3] }}",
    "{{ 'a' + 'b' }}|{{ 'a' ~ 1 ~ none ~ true }}|{{ 1 ~ 2 }}|{{ [1] ~ 'x' }}",
    "{{ 1 + 'a' }}",
    "{{ 1 / 0 }}",
    "{{ 1 // 0 }}",
    "{{ 5 % 0 }}",
    "{{ 'a' - 'b' }}",
    "{{ 1 < 2 }}|{{ 2 <= 2 }}|{{ 3 > 4 }}|{{ 1 == 1.0 }}|{{ 1 != 2 }}|{{ 'a' < 'b' }}",
    "{{ 1 < 2 < 3 }}|{{ 1 < 3 < 2 }}|{{ 1 == 1 == 1 }}|{{ 3 > 2 > 1 }}",
    "{{ [1, 2] < [1, 3] }}|{{ (1, 2) == (1, 2) }}|{{ [1, 2] == (1, 2) }}|{{ {'a': 1} == {'a': 1} }}",
    "{{ 1 < 'a' }}",
    "{{ 'a' in 'cat' }}|{{ 'z' not in 'cat' }}|{{ 1 in [1, 2] }}|{{ 'k' in {'k': 1} }}|{{ 3 not in (1, 2) }}",
    "{{ 1 in 'abc' }}",
    "{{ true and false }}|{{ true or false }}|{{ not true }}|{{ not not 1 }}|{{ 0 or 'x' }}|{{ '' and 'y' }}",
    "{{ 1 and 2 }}|{{ none or [] or 'last' }}|{{ [] and 1 }}|{{ not [] }}|{{ not 'a' == 'b' }}",
    "{{ 'y' if true else 'n' }}|{{ 'y' if 0 else 'n' }}|{{ 'a' if 1 if 0 else 2 else 'b' }}",
    "{{ -(3) }}|{{ +3 }}|{{ -1.5 }}|{{ - -2 }}|{{ not 1 == 2 }}",
    "{{ 10 - 2 - 3 }}|{{ 100 / 10 / 5 }}|{{ 2 * 3 % 4 }}|{{ 1 + 2 ~ 3 + 4 }}",
    "{{ 9223372036854775806 + 1 }}",
    "{{ 1 if true }}",
    "{% if 1 if false %}y{% else %}n{% endif %}",
])

# --- variables, attributes, items, slices -----------------------------------------------
CTX = {"user": {"name": "Ann", "tags": ["a", "b", "c"], "meta": {"age": 30}}, "items": [3, 1, 2],
       "s": "Hello World", "n": 5, "f": 2.5, "empty": [], "nested": [[1, 2], [3, 4]], "none": None,
       "cols": ["id", "name", "amount"], "d": {"b": 2, "a": 1, "c": 3}, "flag": True}
many("access", [
    "{{ user.name }}|{{ user['name'] }}|{{ user.tags[0] }}|{{ user.tags.1 }}|{{ user.meta.age }}",
    "{{ items[-1] }}|{{ items[0:2] }}|{{ items[::-1] }}|{{ items[1:] }}|{{ items[:1] }}",
    "{{ s[0] }}|{{ s[-1] }}|{{ s[0:5] }}|{{ s[::2] }}|{{ s[::-1] }}|{{ s[6:] }}",
    "{{ nested[1][0] }}|{{ nested[0] }}|{{ cols[1:-1] }}|{{ cols[5:] }}|{{ items[-2:] }}",
    "{{ user.missing is defined }}|{{ user.name is defined }}|{{ nope is defined }}|{{ nope is undefined }}",
    "{{ user.missing }}",
    "{{ nope }}",
    "{{ nope.attr }}",
    "{{ items[10] }}",
    "{{ user['tags'][1:3] }}|{{ d['a'] }}|{{ d.b }}",
    "{{ d.keys is defined }}",
    "{{ user.missing | default('dflt') }}|{{ nope | default('x') }}|{{ none | default('y') }}|{{ '' | default('z', true) }}",
    "{{ nope | d('short') }}|{{ 0 | default(5, boolean=true) }}|{{ [] | default('e') }}",
    "{{ s.missing is defined }}|{{ items.foo is defined }}",
    "{{ none.x is defined }}",
    "{{ (items | list)[0] }}|{{ [1,2,3][1] }}|{{ {'a': [1,2]}['a'][1] }}|{{ 'abc'[1] }}",
    "{{ items[1:2:0] }}",
    "{{ n[0] }}",
    "{{ flag and user.name }}|{{ f * 2 }}|{{ n // 2 }}",
    "{{ user.tags | length }}|{{ s | length }}|{{ d | length }}",
])
for t in list(CASES):
    pass
CASES = [(a, t, (CTX if a == "access" else c), l) for (a, t, c, l) in CASES]

# --- whitespace control ------------------------------------------------------------------
WS = [
    "a\n  {{- 1 }}  \nb",
    "a  {{ 1 -}}\n\n  b",
    "a \n {{- 1 -}} \n b",
    "x\n{% if true %}\ny\n{% endif %}\nz",
    "x\n{%- if true %}\ny\n{%- endif %}\nz",
    "x\n{% if true -%}\ny\n{% endif -%}\nz",
    "x\n{%- if true -%}\ny\n{%- endif -%}\nz",
    "<ul>\n{% for i in [1,2] %}\n  <li>{{ i }}</li>\n{% endfor %}\n</ul>",
    "<ul>\n{%- for i in [1,2] %}\n  <li>{{ i }}</li>\n{%- endfor %}\n</ul>",
    "<ul>\n{% for i in [1,2] -%}\n  <li>{{ i }}</li>\n{% endfor -%}\n</ul>",
    "a {# comment #} b",
    "a {#- comment -#} b",
    "a\n{#- c #}\nb",
    "a\n{# c -#}\nb",
    "{% raw %}{{ not rendered }}{% endraw %}",
    "a {%- raw %} {{ x }} {% endraw -%} b",
    "a {% raw -%} {{ x }} {%- endraw %} b",
    "line1\nline2\n",
    "line1\nline2\n\n",
    "trailing spaces   \n",
    "{% set x = 1 %}\n{{ x }}\n",
    "{%+ if true %}a{% endif +%}b",
    "  {{ 'x' }}  ",
    "{{- 'a' -}}   {{- 'b' -}}",
    "a\r\nb\r\n{{ 1 }}\r\n",
    "{% for i in range(3) %}{{ i }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{%- for i in range(3) -%}\n  {{ i }}\n{%- endfor -%}",
    "{% macro m() -%}\n  body\n{%- endmacro %}[{{ m() }}]",
    "{% set s -%}\n  padded  \n{%- endset %}[{{ s }}]",
    "a{{ '' }}\n\n{{- '' }}b",
    "{#\nmulti\nline\n#}x",
    "x{% if false %}\nno\n{% else %}\nyes\n{% endif %}y",
]
many("ws", WS)

# --- if / for -----------------------------------------------------------------------------
many("if", [
    "{% if n > 3 %}big{% elif n > 1 %}mid{% else %}small{% endif %}",
    "{% if n > 10 %}big{% elif n > 4 %}mid{% else %}small{% endif %}",
    "{% if not items %}empty{% else %}has{% endif %}",
    "{% if empty %}yes{% endif %}no",
    "{% if 'a' in cols or 'id' in cols %}ok{% endif %}",
    "{% if n is odd %}odd{% elif n is even %}even{% endif %}",
    "{% if user.name == 'Ann' and user.meta.age >= 30 %}match{% endif %}",
    "{% if nope %}x{% endif %}",
    "{% if nope is defined and nope %}x{% else %}safe{% endif %}",
    "{% if items|length > 2 %}{{ items|length }}{% endif %}",
    "{% if none %}a{% elif none is none %}b{% endif %}",
    "{% if true %}{% if false %}x{% else %}{% if 1 %}deep{% endif %}{% endif %}{% endif %}",
    "{% if 1 %}a{% elif 2 %}b{% elif 3 %}c{% endif %}",
    "{% if x %}",
    "{% if true %}a{% else %}b{% else %}c{% endif %}",
    "{% if true %}a{% endfor %}",
    "{% elif %}",
], CTX)

many("for", [
    "{% for i in items %}{{ i }}{% endfor %}",
    "{% for i in items %}{{ loop.index }}:{{ loop.index0 }}:{{ loop.revindex }}:{{ loop.revindex0 }}:{{ loop.first }}:{{ loop.last }}:{{ loop.length }} {% endfor %}",
    "{% for i in items %}{{ loop.cycle('odd', 'even') }} {% endfor %}",
    "{% for i in items %}{{ loop.previtem is defined }}/{{ loop.nextitem is defined }} {% endfor %}",
    "{% for i in items %}{% if loop.previtem is defined %}{{ loop.previtem }}<{% endif %}{{ i }}{% if loop.nextitem is defined %}>{{ loop.nextitem }}{% endif %} {% endfor %}",
    "{% for i in empty %}{{ i }}{% else %}none{% endfor %}",
    "{% for i in items if i > 1 %}{{ i }}{{ loop.length }}{% else %}no{% endfor %}",
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    "{% for k in d %}{{ k }}{% endfor %}",
    "{% for a, b in nested %}{{ a + b }},{% endfor %}",
    "{% for (a, b) in nested %}{{ a }}{{ b }}{% endfor %}",
    "{% for c in 'abc' %}{{ c }}-{% endfor %}",
    "{% for i in range(5) %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}",
    "{% for i in range(5) %}{% if i is even %}{% continue %}{% endif %}{{ i }}{% endfor %}",
    "{% for row in nested %}{% for x in row %}{{ loop.index }}{{ x }}{% endfor %}|{% endfor %}",
    "{% for row in nested %}{% set outer = loop %}{% for x in row %}{{ outer.index }}.{{ loop.index }} {% endfor %}{% endfor %}",
    "{% set x = 'out' %}{% for i in items %}{% set x = i %}{{ x }}{% endfor %}{{ x }}",
    "{% set ns = namespace(total=0) %}{% for i in items %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
    "{% for i in items %}{{ i }}{% endfor %}{{ i is defined }}",
    "{% for i in none %}{% endfor %}",
    "{% for i in 42 %}{% endfor %}",
    "{% for i in nope %}{% endfor %}",
    "{% for x in [{'n': 'a', 'c': [{'n': 'b', 'c': []}]}] recursive %}{{ x.n }}{{ loop.depth }}[{{ loop(x.c) }}]{% endfor %}",
    "{% for x in [1, 1, 2, 3, 3] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}",
    "{% for a, b in [(1, 2), (3, 4)] %}{{ a * b }} {% endfor %}",
    "{% for a, b in [(1, 2, 3)] %}{% endfor %}",
    "{% for i in range(2, 10, 3) %}{{ i }},{% endfor %}{% for i in range(5, 0, -2) %}{{ i }}{% endfor %}",
    "{% for i in items | sort %}{{ i }}{% endfor %}",
    "{% for i in items %}{{ loop.index }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}{% endfor %}",
    "{% for i in [] %}{% else %}{{ i is defined }}{% endfor %}",
    "{% break %}",
    "{% for i in items %}{{ i }}",
    "{% for in items %}{% endfor %}",
    "{% for x in items %}{% for y in items %}{% if y == 1 %}{% break %}{% endif %}{{ x }}{{ y }} {% endfor %}{% endfor %}",
    "{% for i in range(3) %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}",
    "{% for k, v in {'x': [1, 2], 'y': []}.items() %}{{ k }}{% for i in v %}{{ i }}{% else %}-{% endfor %}{% endfor %}",
], CTX)

# --- set / with / namespace ----------------------------------------------------------------
many("set", [
    "{% set a = 1 %}{% set b = a + 1 %}{{ a }}{{ b }}",
    "{% set a, b = 1, 2 %}{{ a }}{{ b }}",
    "{% set a, b = [3, 4] %}{{ b }}{{ a }}",
    "{% set t = 1, 2 %}{{ t }}",
    "{% set x %}block {{ 1 + 1 }}{% endset %}[{{ x }}]",
    "{% set x | upper %}shout{% endset %}{{ x }}",
    "{% set x | trim | replace('a', 'o') %}  banana  {% endset %}{{ x }}",
    "{% if true %}{% set inner = 'leaks' %}{% endif %}{{ inner }}",
    "{% with %}{% set w = 1 %}{% endwith %}{{ w is defined }}",
    "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}",
    "{% set a = 5 %}{% with a = a + 1 %}{{ a }}{% endwith %}{{ a }}",
    "{% set ns = namespace(items=[], count=0) %}{% for i in range(3) %}{% set ns.count = ns.count + 1 %}{% do ns.items.append(i) %}{% endfor %}{{ ns.count }}{{ ns.items }}",
    "{% set ns = namespace() %}{% set ns.x = 'v' %}{{ ns.x }}",
    "{% set d = {} %}{% do d.update({'a': 1}) %}{% do d.update(b=2) %}{{ d }}",
    "{% set xs = [] %}{% for i in range(3) %}{% do xs.append(i * i) %}{% endfor %}{{ xs }}",
    "{% set a, b = 1 %}",
    "{% set x.y = 1 %}",
    "{% set 1 = 2 %}",
    "{% set a = [1, 2] %}{% set b = a %}{% do b.append(3) %}{{ a }}",
    "{% set x = 'top' %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 'changed' %}{{ m() }}",
    "{% set greeting = 'hi' %}{% with greeting = greeting ~ '!' %}{{ greeting }}{% endwith %}{{ greeting }}",
], CTX)

# --- macros and call blocks ------------------------------------------------------------
many("macro", [
    "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Ann') }} {{ greet('Bo', '?') }} {{ greet(punct='.', name='Cy') }}",
    "{% macro m(a, b) %}{{ a }}-{{ b is defined }}{% endmacro %}{{ m(1) }}",
    "{% macro m(a, b) %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=2) }}",
    "{% macro m(a) %}{{ a }}{{ varargs }}{% endmacro %}{{ m(1, 2, 3) }}",
    "{% macro m(a) %}{{ a }}{{ kwargs }}{% endmacro %}{{ m(1, x=2, y='z') }}",
    "{% macro m() %}{{ varargs | join(',') }}|{{ kwargs | dictsort }}{% endmacro %}{{ m(1, 2, k='v') }}",
    "{% macro m(a, b=a * 2) %}{{ a }},{{ b }}{% endmacro %}{{ m(3) }}",
    "{% macro outer() %}[{{ caller() }}]{% endmacro %}{% call outer() %}inside{% endcall %}",
    "{% macro list_items(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) list_items([1, 2]) %}<{{ item }}>{% endcall %}",
    "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}{% call wrap('i') %}x{% endcall %}{% endcall %}",
    "{% macro m() %}{{ caller(1, y=2) }}{% endmacro %}{% call(x, y=0, z='d') m() %}{{ x }}{{ y }}{{ z }}{% endcall %}",
    "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}",
    "{% macro outer(x) %}{% macro inner(y) %}{{ x }}+{{ y }}{% endmacro %}{{ inner(2) }}{% endmacro %}{{ outer(1) }}",
    "{% macro m() %}{% set local = 1 %}{{ local }}{% endmacro %}{{ m() }}{{ local is defined }}",
    "{% macro m(x) %}{{ x }}{% endmacro %}{% set r = m('v') %}{{ r ~ r }}|{{ m('a') | upper }}|{{ m(1) | length }}",
    "{% macro m() %}  spaced  {% endmacro %}[{{ m() }}]",
    "{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}",
    "{% macro m(a, b='x', c=none) %}{{ m.name }}{% endmacro %}{{ m.name }}|{{ m.arguments }}|{{ m.catch_kwargs }}|{{ m.catch_varargs }}|{{ m.caller }}",
    "{% macro m() %}{{ varargs }}{% endmacro %}{{ m() }}",
    "{% macro m(a, a) %}{% endmacro %}",
    "{% macro m(a=1, b) %}{% endmacro %}",
    "{% macro m() %}x{% endmacro %}{{ m }}",
    "{% macro rec(n) %}{{ rec(n + 1) }}{% endmacro %}{{ rec(0) }}",
    "{% macro sep(items) %}{% for i in items %}{{ i }}{{ ',' if not loop.last }}{% endfor %}{% endmacro %}{{ sep(['a', 'b', 'c']) }}",
    "{% macro m(x) -%}\n  {{ x }}\n{%- endmacro %}{% for i in range(2) %}{{ m(i) }}{% endfor %}",
    "{% macro user_row(u) %}{{ u.name }}:{{ caller(u) if caller is defined else 'nocaller' }}{% endmacro %}{{ user_row(user) }}",
    "{% macro t() %}{{ caller is defined }}{% endmacro %}{{ t() }}{% call t() %}{% endcall %}",
    "{% macro a() %}A{{ b() }}{% endmacro %}{% macro b() %}B{% endmacro %}{{ a() }}",
    "{% filter upper %}{% macro m() %}in{% endmacro %}{{ m() }}{% endfilter %}",
    "{% call nope() %}x{% endcall %}",
    "{% call 1 %}x{% endcall %}",
    "{% macro m(*args) %}{% endmacro %}",
], CTX)

# --- filter blocks, do ------------------------------------------------------------------
many("fblock", [
    "{% filter upper %}hello {{ 'world' }}{% endfilter %}",
    "{% filter replace('a', 'b') | upper %}banana{% endfilter %}",
    "{% filter indent(2, true) %}a\nb{% endfilter %}",
    "{% filter trim %}   x   {% endfilter %}",
    "{% do [1].append(2) %}ok",
    "{% set xs = [3, 1, 2] %}{% do xs.sort() %}{{ xs }}{% do xs.reverse() %}{{ xs }}",
    "{% do nope.x() %}",
    "{% filter nosuchfilter %}x{% endfilter %}",
    "{{ 'x' | nosuchfilter }}",
    "{% if false %}{{ 'x' | nosuchfilter }}{% endif %}ok",
    "{{ 1 is nosuchtest }}",
    "{% print 'printed' %}{% print 1, 2 %}",
])

# --- string methods ------------------------------------------------------------------------
many("strm", [
    "{{ 'Hello'.upper() }}|{{ 'Hello'.lower() }}|{{ '  x  '.strip() }}|{{ '  x  '.lstrip() }}|{{ '  x  '.rstrip() }}|",
    "{{ 'xxhixx'.strip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a.b.c'.rsplit('.', 1) }}",
    "{{ 'a-b-c'.replace('-', '_') }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'abc'.replace('', '-') }}",
    "{{ 'prefix_x'.startswith('prefix') }}|{{ 'x.sql'.endswith('.sql') }}|{{ 'abc'.startswith(('x', 'a')) }}|{{ 'abc'.endswith('b', 0, 2) }}",
    "{{ '{} and {}'.format('a', 'b') }}|{{ '{1}{0}'.format('x', 'y') }}|{{ '{name}!'.format(name='n') }}|{{ '{{literal}}'.format() }}",
    "{{ '{:>5}|{:<5}|{:^5}|{:05d}|{:.2f}|{:,}'.format('r', 'l', 'c', 42, 3.14159, 1234567) }}",
    "{{ '{:x} {:o} {:b} {:e} {:%}'.format(255, 8, 5, 12345.678, 0.25) }}",
    "{{ '{0.name} {0[tags][1]}'.format(user) }}",
    "{{ ', '.join(['a', 'b']) }}|{{ ''.join('xyz') }}|{{ '-'.join(cols) }}",
    "{{ ', '.join([1, 2]) }}",
    "{{ 'hello'.find('l') }}|{{ 'hello'.rfind('l') }}|{{ 'hello'.find('z') }}|{{ 'hello'.index('e') }}|{{ 'hello'.count('l') }}",
    "{{ 'hello'.index('z') }}",
    "{{ 'hello world'.title() }}|{{ 'hELLO'.capitalize() }}|{{ 'Hello'.swapcase() }}|{{ \"they're o'neil\".title() }}",
    "{{ '123'.isdigit() }}|{{ '12a'.isdigit() }}|{{ 'abc'.isalpha() }}|{{ 'ab1'.isalnum() }}|{{ '  '.isspace() }}|{{ 'abc'.islower() }}|{{ 'ABC'.isupper() }}|{{ ''.isdigit() }}",
    "{{ '42'.zfill(5) }}|{{ '-42'.zfill(5) }}|{{ 'ab'.center(6, '*') }}|{{ 'ab'.ljust(4, '.') }}|{{ 'ab'.rjust(4) }}",
    "{{ 'a=b=c'.partition('=') }}|{{ 'a=b=c'.rpartition('=') }}|{{ 'abc'.partition('x') }}",
    "{{ 'l1\\nl2\\r\\nl3'.splitlines() }}|{{ 'pre_x'.removeprefix('pre_') }}|{{ 'x.sql'.removesuffix('.sql') }}",
    "{{ 'abc'.nosuch() }}",
    "{{ 'MiXeD'.lower().upper().strip() }}|{{ s.split(' ')[1].upper() }}",
    "{{ 'a b'.split(none) }}|{{ 'a,b'.split(',', -1) }}|{{ '  a b  '.rsplit(None, 1) }}",
    "{{ '%s-%s' % ('a', 'b') }}|{{ '%d items' % 3 }}|{{ '%05.1f' % 3.14159 }}|{{ '%(k)s' % {'k': 'v'} }}|{{ '%r' % 'q' }}|{{ '100%%' % () }}",
    "{{ '%s' % none }}|{{ '%x' % 255 }}|{{ '%-5s|' % 'ab' }}|{{ '%5s|' % 'ab' }}|{{ '%s and %s' % [1, 2] | length }}",
    "{{ '%s %s' % ('only',) }}",
    "{{ 'abc'[5] is defined }}|{{ 'x' * 0 }}|{{ 'ab' in 'cabd' }}",
], CTX)

# --- list / dict methods -----------------------------------------------------------------
many("listm", [
    "{% set xs = [1, 2] %}{% do xs.append(3) %}{% do xs.extend([4, 5]) %}{% do xs.insert(0, 0) %}{{ xs }}",
    "{% set xs = [1, 2, 3] %}{{ xs.pop() }}{{ xs.pop(0) }}{{ xs }}",
    "{% set xs = ['a', 'b', 'a'] %}{% do xs.remove('a') %}{{ xs }}{{ xs.index('a') }}{{ xs.count('a') }}",
    "{% set xs = [3, 1, 2] %}{% do xs.sort(reverse=true) %}{{ xs }}",
    "{% set xs = ['b', 'A', 'c'] %}{% do xs.sort() %}{{ xs }}",
    "{% set xs = [1] %}{% do xs.remove(5) %}",
    "{% set xs = [] %}{{ xs.pop() }}",
    "{{ [1, 2].append(3) }}",
    "{% set xs = [1, 2] %}{% set ys = xs.copy() %}{% do ys.append(3) %}{{ xs }}{{ ys }}",
    "{{ (1, 2, 1).count(1) }}|{{ (1, 2).index(2) }}",
    "{% set d = {'a': 1} %}{{ d.get('a') }}|{{ d.get('z') }}|{{ d.get('z', 'dflt') }}|{{ d.keys() | list }}|{{ d.values() | list }}|{{ d.items() | list }}",
    "{% set d = {'a': 1, 'b': 2} %}{{ d.pop('a') }}{{ d }}{{ d.pop('z', 'none') }}",
    "{% set d = {'a': 1} %}{{ d.setdefault('a', 5) }}{{ d.setdefault('b', 6) }}{{ d }}",
    "{% set d = {'a': 1} %}{% do d.update({'b': 2}, c=3) %}{{ d }}",
    "{% set d = {} %}{{ d.pop('x') }}",
    "{% set d = {'b': 1, 'a': 2} %}{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}",
    "{% set d = {'k': 'v'} %}{{ d['k'] }}{{ d.k }}{{ d['items'] is defined }}",
    "{% set d = {'items': 'own'} %}{{ d['items'] }}|{{ d.items() | list }}",
    "{% set d = {1: 'a', 1.0: 'b', true: 'c'} %}{{ d }}",
    "{% set d = {} %}{% set _ = d.update({'x': [1]}) %}{{ d.x[0] }}",
    "{% set d = dict(a=1, b=2) %}{{ d }}|{{ dict({'x': 1}, y=2) }}|{{ dict([('p', 1)]) }}",
    "{{ {[1]: 2} }}",
    "{% set d = {'a': {'b': []}} %}{% do d.a.b.append(1) %}{{ d }}",
    "{% set d = {'x': 1} %}{% set c = d.copy() %}{% do c.update(y=2) %}{{ d }}{{ c }}",
], CTX)

# --- filters -----------------------------------------------------------------------------
FILTERS = [
    "{{ -3 | abs }}|{{ -2.5 | abs }}",
    "{{ 'hello world' | capitalize }}|{{ 'HELLO' | capitalize }}",
    "{{ 'ab' | center(6) }}|",
    "{{ {'b': 1, 'A': 2, 'c': 0} | dictsort }}|{{ {'b': 1, 'a': 2} | dictsort(by='value') }}|{{ {'b': 1, 'a': 2} | dictsort(reverse=true) }}",
    "{{ {'b': 1, 'B': 2} | dictsort(true) }}",
    "{{ '<a href=\"x\">&\\'</a>' | e }}|{{ '<b>' | escape }}|{{ 'x' | forceescape }}",
    "{{ 100 | filesizeformat }}|{{ 1 | filesizeformat }}|{{ 12345 | filesizeformat }}|{{ 1048576 | filesizeformat(true) }}|{{ 3000000000 | filesizeformat }}",
    "{{ items | first }}|{{ items | last }}|{{ 'abc' | first }}|{{ [] | first is defined }}",
    "{{ '3.5' | float }}|{{ 'x' | float }}|{{ 'x' | float(1.5) }}|{{ 2 | float }}|{{ ' 1e3 ' | float }}",
    "{{ '42' | int }}|{{ '3.9' | int }}|{{ 'x' | int }}|{{ 'x' | int(7) }}|{{ 4.7 | int }}|{{ '0x1A' | int(base=16) }}|{{ '1_000' | int }}|{{ true | int }}|{{ none | int }}",
    "{{ '%s-%d' | format('a', 3) }}|{{ '%(x)s' | format(x='kw') }}",
    "{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}|{{ 'x\\ny' | indent('> ') }}",
    "{{ [1, 2, 3] | join }}|{{ [1, 2] | join(', ') }}|{{ [{'n': 'a'}, {'n': 'b'}] | join('+', attribute='n') }}",
    "{{ 'abc' | length }}|{{ [] | count }}|{{ {'a': 1} | length }}",
    "{{ 'abc' | list }}|{{ {'a': 1, 'b': 2} | list }}|{{ (1, 2) | list }}",
    "{{ 'MiXed' | lower }}|{{ 'MiXed' | upper }}",
    "{{ users | map(attribute='name') | join(',') }}|{{ ['a', 'b'] | map('upper') | list }}|{{ ['1', '2'] | map('int') | sum }}",
    "{{ users | map(attribute='missing', default='D') | list }}",
    "{{ [3, 1, 2] | max }}|{{ [3, 1, 2] | min }}|{{ ['b', 'A', 'c'] | max }}|{{ ['b', 'A', 'c'] | min(case_sensitive=true) }}|{{ users | max(attribute='age') }}",
    "{{ [] | max is defined }}",
    "{{ 'abc' | replace('b', 'x') }}|{{ 'aaa' | replace('a', 'b', 2) }}",
    "{{ [1, 2, 3] | reverse | list }}|{{ 'abc' | reverse }}",
    "{{ 2.5 | round }}|{{ 3.5 | round }}|{{ 2.675 | round(2) }}|{{ 3.14159 | round(3) }}|{{ 2.1 | round(0, 'ceil') }}|{{ 2.9 | round(method='floor') }}|{{ 42 | round }}|{{ -1.5 | round }}",
    "{{ 1.005 | round(2) }}|{{ 0.5 | round }}|{{ 1.5 | round }}|{{ 12345.6789 | round(-2) }}",
    "{{ 'x' | safe }}|{{ 5 | string }}|{{ [1] | string }}|{{ none | string }}",
    "{{ [1, 2, 3, 4, 5] | batch(2) | list }}|{{ [1, 2, 3] | batch(2, 'x') | list }}",
    "{{ [1, 2, 3, 4, 5] | slice(2) | list }}|{{ [1, 2, 3, 4] | slice(3, 0) | list }}",
    "{{ [3, 1, 2] | sort }}|{{ [3, 1, 2] | sort(reverse=true) }}|{{ ['b', 'A', 'c'] | sort }}|{{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}",
    "{{ users | sort(attribute='age') | map(attribute='name') | list }}|{{ users | sort(attribute='name', reverse=true) | map(attribute='name') | join }}",
    "{{ users | sort(attribute='team,age') | map(attribute='name') | join(',') }}",
    "{{ [1, 'a'] | sort }}",
    "{{ '<p>Hello <b>World</b></p>  x' | striptags }}",
    "{{ [1, 2, 3] | sum }}|{{ users | sum(attribute='age') }}|{{ [0.1, 0.2] | sum }}|{{ [1] | sum(start=10) }}",
    "{{ 'hello world-foo (bar) [x] <y> o\\'neil' | title }}",
    "{{ {'b': [1, 2], 'a': 'x<y>&\\'z'} | tojson }}|{{ [1.0, none, true, 'é'] | tojson }}|{{ 'str' | tojson }}",
    "{{ {'a': [1, {'b': 2}]} | tojson(indent=2) }}",
    "{{ '  x  ' | trim }}|{{ 'xxhixx' | trim('x') }}",
    "{{ 'The quick brown fox jumps' | truncate(10) }}|{{ 'The quick brown fox jumps' | truncate(10, true) }}|{{ 'short' | truncate(10) }}|{{ 'The quick brown fox jumps' | truncate(10, false, '>>', 0) }}|{{ 'abcdefghijklmnop' | truncate(11) }}",
    "{{ [1, 2, 1, 3, 2] | unique | list }}|{{ ['a', 'A', 'b'] | unique | list }}|{{ ['a', 'A'] | unique(true) | list }}|{{ users | unique(attribute='team') | map(attribute='name') | list }}",
    "{{ 'a b&c/d' | urlencode }}|{{ {'k': 'v w', 'x': 1} | urlencode }}",
    "{{ 'one two  three, four' | wordcount }}",
    "{{ {'class': 'x', 'id': 'y', 'none': none} | xmlattr }}|{{ {'a': '<'} | xmlattr(false) }}",
    "{{ [1, 2, 3, 4] | select('odd') | list }}|{{ [1, 2, 3, 4] | reject('odd') | list }}|{{ [0, 1, '', 'a'] | select | list }}|{{ [1, 5, 10] | select('gt', 3) | list }}",
    "{{ users | selectattr('age', 'gt', 30) | map(attribute='name') | list }}|{{ users | rejectattr('active') | map(attribute='name') | list }}|{{ users | selectattr('active') | list | length }}",
    "{{ users | selectattr('team', 'equalto', 'x') | map(attribute='name') | join }}|{{ [1, 2, 3] | select('in', [1, 3]) | list }}",
    "{{ users | groupby('team') | map(attribute='grouper') | list }}|{% for g, members in users | groupby('team') %}{{ g }}:{{ members | map(attribute='name') | join(',') }};{% endfor %}",
    "{% for grp in users | groupby('team') %}{{ grp.grouper }}={{ grp.list | length }} {% endfor %}",
    "{{ {'b': 1, 'a': 2} | items | list }}",
    "{{ users[0] | attr('name') }}|{{ users[0] | attr('nope') is defined }}",
    "{{ 'x' | pprint }}|{{ [1, 'a'] | pprint }}",
    "{{ 1 | upper }}|{{ none | lower }}|{{ true | string | upper }}",
    "{{ nope | upper }}",
    "{{ nope | default('d') | upper }}",
    "{{ none | join(',') }}",
    "{{ 5 | first }}",
    "{{ 'abc' | batch(0) | list }}",
    "{{ [1, 2] | join(', ') | replace('1', 'one') | upper | length }}",
    "{{ 'a' | default }}|{{ nope | default }}|",
    "{{ items | map('string') | map('upper') | join('/') }}",
    "{{ [[1, 2], [3]] | map('length') | list }}|{{ ['a b', 'c'] | map('split') | list }}",
    "{{ [1, 2, 3] | map('abs') | select('even') | first }}",
    "{{ ['x', 'y'] | map('format') | list }}",
    "{{ {'a': 1} | dictsort | first }}|{{ {'a': 1} | dictsort | first | first }}",
    "{{ 'hello' | center(11) | replace(' ', '.') }}",
    "{{ 3 | float | string }}|{{ '7' | int + 1 }}|{{ ('%.3f' | format(2 / 3)) }}",
    "{{ [3, 2, 1] | sort | first }}{{ [3, 2, 1] | sort | last }}",
    "{{ [none, 1] | select('none') | list }}|{{ [1, 'a', 2.0] | select('number') | list }}|{{ ['a', 1] | select('string') | list }}",
    "{{ range(10) | batch(3) | map('sum') | list }}",
    "{{ 'a,b,c' | truncate(3) }}",
    "{{ 'abc' | wordcount }}|{{ '' | wordcount }}",
    "{{ [1, 2] | tojson }}{{ 'x' | indent(first=true) }}",
    "{{ '%.2f' | format(1.005) }}|{{ '%.0f' | format(2.5) }}|{{ '%e' | format(12345.678) }}|{{ '%g' | format(0.0001234) }}|{{ '%10.3f|' | format(3.14159) }}",
    "{{ [1, 2, 3] | length is even }}",
]
many("filter", FILTERS, dict(CTX, users=[
    {"name": "ann", "age": 31, "team": "x", "active": True},
    {"name": "Bob", "age": 25, "team": "y", "active": False},
    {"name": "cy", "age": 40, "team": "x", "active": True},
    {"name": "Dee", "age": 25, "team": "y", "active": True},
]))

# --- tests --------------------------------------------------------------------------------
many("test", [
    "{{ 3 is odd }}{{ 3 is even }}{{ 4 is divisibleby 2 }}{{ 9 is divisibleby(4) }}{{ 3 is number }}{{ 'a' is number }}{{ true is number }}",
    "{{ 'a' is string }}{{ 1 is string }}{{ {} is mapping }}{{ [] is mapping }}{{ [] is iterable }}{{ 1 is iterable }}{{ 'x' is iterable }}",
    "{{ [] is sequence }}{{ 'x' is sequence }}{{ 1 is sequence }}{{ {} is sequence }}",
    "{{ none is none }}{{ 0 is none }}{{ true is boolean }}{{ 1 is boolean }}{{ true is true }}{{ 1 is true }}{{ false is false }}{{ 0 is false }}",
    "{{ 1 is integer }}{{ 1.0 is integer }}{{ 1.0 is float }}{{ true is integer }}",
    "{{ 'abc' is lower }}{{ 'aBc' is lower }}{{ 'ABC' is upper }}{{ '1' is upper }}",
    "{{ 1 is eq 1 }}{{ 1 is ne 2 }}{{ 1 is lt 2 }}{{ 2 is le 2 }}{{ 3 is gt 2 }}{{ 3 is ge 4 }}{{ 1 is equalto 1 }}{{ 1 is greaterthan 0 }}{{ 1 is lessthan 0 }}",
    "{{ 1 is == 1 }}{{ 1 is != 1 }}{{ 1 is < 2 }}{{ 1 is >= 2 }}",
    "{{ 1 is in [1, 2] }}{{ 'a' is in 'xyz' }}{{ 'k' is in {'k': 1} }}",
    "{{ none is sameas none }}{{ true is sameas true }}{{ 1 is sameas 1 }}",
    "{{ 'upper' is filter }}{{ 'nope' is filter }}{{ 'odd' is test }}{{ 'nope' is test }}",
    "{{ range is callable }}{{ 1 is callable }}{{ 'x'.upper is callable }}",
    "{{ 3 is not odd }}{{ x is not defined }}{{ 1 is not none }}{{ not 1 is none }}",
    "{{ 'x' is escaped }}",
    "{{ nope is odd }}",
    "{{ nope is none }}|{{ nope is string }}|{{ nope is defined }}",
    "{{ 1 is odd is even }}",
    "{{ 5 is divisibleby 0 }}",
    "{% if 6 is divisibleby 3 and 6 is even %}both{% endif %}",
    "{{ users | selectattr('age', 'odd') | list | length }}",
    "{{ (1 is odd) and (2 is even) }}{{ 1 is odd and 2 is even }}",
    "{{ [1, 2] is iterable and [1, 2] is not string }}",
], dict(CTX, users=[{"age": 1}, {"age": 2}, {"age": 3}]))

# --- globals ------------------------------------------------------------------------------
many("glob", [
    "{{ range(3) | list }}|{{ range(1, 4) | list }}|{{ range(0, 10, 4) | list }}|{{ range(3, 0, -1) | list }}|{{ range(0) | list }}",
    "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}{% do c.reset() %}{{ c.next() }}",
    "{% set j = joiner('|') %}{% for i in range(3) %}{{ j() }}{{ i }}{% endfor %}",
    "{% set j = joiner() %}{{ j() }}{{ j() }}{{ j() }}",
    "{% set ns = namespace(a=1, b='x') %}{{ ns.a }}{{ ns.b }}{{ ns.c is defined }}",
    "{{ range(1.5) }}",
    "{{ range(1, 2, 0) }}",
    "{{ dict(a=[1], b={'c': 2}) }}",
    "{{ namespace }}" if False else "{{ range(5)[2] }}|{{ range(5)[1:3] | list }}|{{ range(4) | length }}|{{ 3 in range(4) }}",
])

# --- errors and syntax -------------------------------------------------------------------
many("syntax", [
    "{{ }}",
    "{{ 1 + }}",
    "{{ (1 }}",
    "{{ [1, 2 }}",
    "{{ 'unterminated }}",
    "{% if %}{% endif %}",
    "{% unknowntag %}",
    "{% endif %}",
    "{# unterminated comment",
    "{{ x",
    "{% for x in y",
    "{% macro %}{% endmacro %}",
    "{% set %}",
    "{{ 1 ! 2 }}",
    "{{ a.0.1 }}",
    "{{ f(x=1, 2) }}",
    "{{ 1 2 }}",
    "{% raw %}never closed",
    "{% if true %}{% endfor %}",
    "{% with a %}{% endwith %}",
    "{{ {'a' 1} }}",
    "{% include %}",
    "{{ 'a' | }}",
    "{{ x is }}",
    "{% continue %}",
    "{% endmacro %}",
])

# --- calls: *args **kwargs -----------------------------------------------------------------
many("call", [
    "{% macro m(a, b, c) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(*[1, 2, 3]) }}|{{ m(1, *[2, 3]) }}|{{ m(**{'a': 1, 'b': 2, 'c': 3}) }}|{{ m(1, **{'c': 3, 'b': 2}) }}",
    "{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(*(1, 2), **{'k': 'v'}) }}",
    "{{ '{}-{}'.format(*['a', 'b']) }}|{{ '{x}'.format(**{'x': 1}) }}",
    "{{ dict(**{'a': 1}, b=2) }}",
    "{{ range(*[1, 4]) | list }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(*nope) }}",
    "{{ nope() }}",
    "{{ 1() }}",
    "{{ 'x'.upper(1) }}",
    "{{ [1].append() }}",
])

# --- lenient undefined (jinja2.Undefined, dbt parse phase) ------------------------------------
for t in [
    "[{{ nope }}]",
    "{% if nope %}y{% else %}n{% endif %}",
    "{% for x in nope %}{{ x }}{% else %}empty{% endfor %}",
    "{{ nope | default('d') }}|{{ nope is defined }}|{{ nope | length }}|{{ nope | list }}|{{ nope | upper }}|",
    "{{ nope ~ 'x' }}|{{ 'x' ~ nope }}",
    "{{ nope.attr }}",
    "{{ nope['k'] }}",
    "{{ nope + 1 }}",
    "{{ nope() }}",
    "{{ d.missing }}|{{ d.missing is defined }}",
    "{{ nope == nope }}|{{ nope == 1 }}|{{ not nope }}|{{ nope or 'fb' }}|{{ nope and 1 }}",
    "{{ 'a' in nope }}|{{ nope is none }}|{{ [nope] | length }}",
    "{% macro m(a, b) %}[{{ a }}|{{ b }}]{% endmacro %}{{ m(1) }}",
    "{{ nope | join(',') }}|{{ nope | first }}|{{ nope | int }}|{{ nope | float }}|{{ nope | string }}",
    "{{ config.get('x') }}",
    "{% set x = nope %}{{ x }}|{{ x is defined }}",
    "{{ 'x' if nope else 'y' }}|{{ 'z' if false }}|",
    "{{ nope | tojson }}",
    "{{ nope | items | list }}",
    "{{ nope | sort }}",
    "{{ d.get('x', nope) }}-",
    "{{ nope is iterable }}",
]:
    case("lenient", t, {"d": {"a": 1}}, lenient=True)

# --- more expressions & real-world shapes ----------------------------------------------------
many("expr", [
    "{{ (cols | length) * 2 }}|{{ cols | length * 2 }}|{{ -cols | length }}",
    "{{ 'a' if cols else 'b' }}|{{ cols[0] if cols | length > 5 else cols[-1] }}",
    "{{ [x for x in cols] }}",
    "{{ (1, 2)[0] }}|{{ [1, 2, 3][-1] }}|{{ {'a': 1}['a'] }}|{{ 'xy'[0] }}",
    "{{ cols | join(', ') ~ ' from t' }}",
    "{{ n > 3 and n < 10 }}|{{ n if n > 3 }}|{{ not (n > 3) }}",
    "{{ user.meta['age'] + 1 }}|{{ user['meta'].age * 2 }}",
    "{{ s.split()[0].lower() }}|{{ s | lower | replace('world', 'there') | title }}",
    "{{ 1 if 'id' in cols }}{{ 'x' ~ (1 + 2) }}",
    "{{ [1, 2, 3] | map('string') | join('+') }} = {{ [1, 2, 3] | sum }}",
    "{{ ((1)) }}|{{ ((1, 2)) }}|{{ (((1),)) }}",
    "{{ items | sort | reverse | list | first }}",
    "{{ d | dictsort | map('first') | join }}",
    "{{ user.name ~ ':' ~ user.tags | join(',') }}",
    "{{ none is none and true }}",
    "{{ 1 == 1 and 2 == 2 or 3 == 4 }}",
    "{{ 'x' in ['x'] == true }}",
    "{{ 1 + 2 ~ 3 * 4 }}",
    "{{ {'a': 1}.a }}",
    "{{ [1, 2].0 }}",
    "{{ 5 - -3 }}|{{ 2 * -1 }}|{{ -2 ** 2 }}",
    "{{ 7 // 2 * 2 + 7 % 2 }}",
    "{{ 'abc' < 'abd' }}|{{ 'Z' < 'a' }}|{{ [1, 2] < [1, 2, 0] }}",
    "{{ true == 1 }}|{{ false == 0 }}|{{ 1.0 == 1 }}|{{ '1' == 1 }}|{{ none == false }}",
    "{{ [1, [2]] == [1, [2]] }}|{{ {'a': [1]} != {'a': [2]} }}",
    "{{ cols.append }}" if False else "{{ cols | length > 2 and cols[2] == 'amount' }}",
], CTX)


# --- more: loops, scoping, recursion, escapes ------------------------------------------------
TREE = {"tree": [{"name": "a", "children": [{"name": "a1", "children": []}, {"name": "a2", "children": [{"name": "a21", "children": []}]}]},
                 {"name": "b", "children": []}]}
many("more", [
    "{% for n in tree recursive %}{{ '  ' * (loop.depth - 1) }}{{ n.name }}{{ loop.depth0 }}\n{{ loop(n.children) }}{% endfor %}",
    "<ul>{% for n in tree recursive %}<li>{{ n.name }}{% if n.children %}<ul>{{ loop(n.children) }}</ul>{% endif %}</li>{% endfor %}</ul>",
    "{% for n in tree %}{{ loop(n.children) }}{% endfor %}",
    "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ loop.cycle('<', '>') }}{{ a }}{{ b }}{% endfor %}{% endfor %}",
    "{% for i in range(3) %}{% set sq = i * i %}{{ sq }}{% endfor %}{{ sq is defined }}",
    "{% set total = 0 %}{% for i in range(3) %}{% set total = total + i %}{% endfor %}{{ total }}",
    "{% for i in range(2) %}{% with j = i * 10 %}{{ j }}{% endwith %}{% endfor %}",
    "{% with a = 1 %}{% with b = a + 1 %}{{ a }}{{ b }}{% endwith %}{{ b is defined }}{% endwith %}",
    "{% macro m(x) %}{% for i in range(x) %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(i) m(3) %}[{% call(j) m(i) %}{{ j }}{% endcall %}]{% endcall %}",
    "{% macro m() %}{{ kwargs.a }}{{ caller() }}{% endmacro %}{% call m(a='A') %}C{% endcall %}",
    "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 3, 4, c=5) }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(a=1, a=2) }}",
    "{{ 'line1\\nline2' }}|{{ '\\u00e9\\U0001F600' }}|{{ '\\101' }}|{{ 'a\\\\nb' }}",
    "{{ ['\\n', '\\t', '\\\\', '\\x01', '\\x7f', 'é'] }}",
    "{{ [1, 2, 3, 4, 5][::2] }}|{{ [1, 2, 3, 4, 5][-2::-2] }}|{{ 'abcdef'[1:-1:2] }}|{{ [1, 2, 3][5:1:-1] }}|{{ [][:] }}",
    "{{ (1, 2, 3)[1:] }}|{{ (1, 2, 3)[::-1] }}|{{ 'abc'[-10:10] }}",
    "{{ 1.0 * 3 }}|{{ 10 / 3 * 3 }}|{{ 2 ** 62 }}|{{ 2.0 ** 70 }}|{{ 7 // 2.0 }}|{{ -7 // 2.0 }}|{{ 7.0 % -2 }}",
    "{{ 0.1 + 0.7 }}|{{ 1 / 3 + 1 / 3 }}|{{ 1e300 * 10 }}|{{ 1.23e-10 }}|{{ 9.999999999999999e22 }}",
    "{{ 100000000000000000.0 }}|{{ 10000000000000000.0 }}|{{ 1000000000000000.0 }}|{{ 0.00001234 }}|{{ 0.0001234 }}",
    "{% set d = {'z': 1, 'a': 2, 'm': 3} %}{{ d | dictsort | map('last') | list }}|{{ d | list }}|{{ d.values() | sum }}",
    "{% set xs = [{'k': 2, 'v': 'b'}, {'k': 1, 'v': 'a'}, {'k': 2, 'v': 'a'}] %}{{ xs | sort(attribute='k') | map(attribute='v') | join }}|{{ xs | sort(attribute='k,v') | map(attribute='v') | join }}|{{ xs | groupby('k') | map(attribute='list') | map('length') | list }}",
    "{{ [[1, 'b'], [0, 'a']] | sort | first }}|{{ [[1, 'b'], [0, 'a']] | map('last') | join }}|{{ ['b', 'a'] | sort(reverse=true) | join }}",
    "{{ {'a': {'b': 1}} | attr('a') }}|{{ {'a': 1} | attr('items') is defined }}",
    "{{ 'abc' is sameas 'abc' }}|{{ [] is sameas [] }}",
    "{% set a = [1] %}{% set b = a %}{{ a is sameas b }}",
    "{{ 'x' ~ 1.5 ~ none ~ [1] ~ {'a': 1} ~ (1,) }}",
    "{{ [true, false, none] | map('string') | join(',') }}|{{ [1.5, 2] | join(',') }}",
    "{{ '%5.2f|%-6d|%+d|%03d|%.3s' % (3.14159, 42, 5, 7, 'abcdef') }}",
    "{{ '{:>8.3f}|{:<6}|{:+d}|{:08.2f}|{:^9}'.format(2.5, 'ab', 3, -1.5, 'mid') }}",
    "{{ '{0}{1}{0}'.format('a', 'b') }}|{{ '{!r}'.format('x') }}|{{ '{}'.format(none) }}|{{ '{}'.format([1, 'a']) }}|{{ '{}'.format(1.0) }}",
    "{{ 'x' if none else 'y' if 0 else 'z' }}",
    "{{ (none or {}).get('k', 'dflt') }}",
    "{% if [] %}a{% elif {} %}b{% elif '' %}c{% elif 0.0 %}d{% else %}e{% endif %}",
    "{{ 'A' in 'ABC' and 'B' not in ['A'] }}|{{ none in [none] }}|{{ 1.0 in [1] }}|{{ (1, 2) in [(1, 2)] }}",
    "{% for x in [3, 1, 2] | sort if x > 1 %}{{ x }}{{ loop.index }}{% endfor %}",
    "{% for k, v in {'a': 1, 'b': 2} | dictsort(reverse=true) %}{{ k }}{{ v }}{% endfor %}",
    "{% for a, (b, c) in [(1, (2, 3))] %}{{ a }}{{ b }}{{ c }}{% endfor %}",
    "{% set a, (b, c) = 1, (2, 3) %}{{ a + b + c }}",
    "{% filter upper %}{% for i in range(2) %}x{{ i }}{% endfor %}{% endfilter %}",
    "{% filter center(9) %}mid{% endfilter %}|",
    "{{ range(3) | map('string') | join }}{{ range(3) | reverse | list }}",
    "{{ [1, 2, 3] | select('greaterthan', 1) | map('string') | join }}|{{ [1, 2, 3] | reject('equalto', 2) | list }}",
    "{{ ['a', 'B', 'c'] | select('upper') | list }}|{{ ['a', 'B'] | select('lower') | list }}",
    "{{ {'a': none, 'b': 1} | dictsort | selectattr('1') | list }}",
    "{{ users | map(attribute='name') | map('upper') | sort | join(',') }}" if False else "{{ [{'n': {'m': 1}}, {'n': {'m': 2}}] | map(attribute='n.m') | list }}",
    "{{ [[1, 2], [3, 4]] | map(attribute='1') | list }}|{{ [[1, 2], [3, 4]] | map('first') | list }}",
    "{{ 'a-b_c d' | replace('-', ' ') | title }}|{{ 'dbt_utils' | capitalize }}",
    "{{ '  multiple   spaces  ' | trim | wordcount }}",
    "{{ 'x,y' is in 'x,y,z' }}|{{ [1] is iterable }}|{{ none is iterable }}",
    "{% set x = 1 %}{% if x is defined %}{% set x = x + 1 %}{% endif %}{{ x }}",
    "{% macro m() %}{% set x = 'inner' %}{{ x }}{% endmacro %}{% set x = 'outer' %}{{ m() }}{{ x }}",
    "{% macro m() %}{{ g }}{% endmacro %}{% set g = 'global-ish' %}{{ m() }}",
])



# --- edge cases found while reviewing the semantics -------------------------------------------
many("edge", [
    "{{ '%s' % [1, 2] }}|{{ '%s' % ((1, 2),) }}|{{ '%s-%s' % (1, 2) }}",
    "{{ '%s %s' % ['a', 'b'] }}",
    "{{ {1: 'a', 2: [none]} | tojson }}|{{ {'b': 1, 'a': {'d': 1, 'c': 2}} | tojson }}",
    "{{ [{'n': 2}, {'m': 1}] | sort(attribute='n') }}",
    "{{ 1 if x is defined else 2 }}|{{ x | default(none) }}|{{ none | default('d') }}",
    "{{ 3.0 | int }}|{{ '  12  ' | int }}|{{ '1e3' | int }}|{{ '-7' | int }}|{{ '+5' | int }}|{{ '0b11' | int(base=2) }}|{{ '12' | int(base=8) }}",
    "{{ -0.5 | round }}|{{ 1.23456e-7 | round(10) }}|{{ 10 | filesizeformat }}|{{ 1000 | filesizeformat }}|{{ 999999 | filesizeformat }}",
    "{{ 'héllo' | length }}|{{ 'héllo' | upper }}|{{ 'ÉCOLE' | lower }}|{{ 'straße' | upper }}|{{ 'héllo'[1] }}|{{ 'héllo' | reverse }}",
    "{{ 'aé' | truncate(5) }}|{{ 'ééééééééééééééé' | truncate(9) }}|{{ 'été ' * 2 }}",
    "{% macro m() %}{{ caller() }}{% endmacro %}{% for i in [1, 2] %}{% call m() %}<{{ i }}>{% endcall %}{% endfor %}",
    "{% set fs = [] %}{% for i in [1, 2] %}{% macro m() %}{{ i }}{% endmacro %}{% do fs.append(m()) %}{% endfor %}{{ fs }}",
    "{% macro outer() %}{% call inner() %}[{{ caller() }}]{% endcall %}{% endmacro %}{% macro inner() %}({{ caller() }}){% endmacro %}{% call outer() %}x{% endcall %}",
    "{% macro m(n) %}{% if n > 0 %}{% call m(n - 1) %}{{ n }}{{ caller() }}{% endcall %}{% else %}{{ caller() }}{% endif %}{% endmacro %}{% call m(3) %}.{% endcall %}",
    "{% set x = 1 %}{% macro m() %}{% set x = 2 %}{{ x }}{% endmacro %}{{ m() }}{{ x }}",
    "{% macro m() %}{% set ns = namespace(v=[]) %}{% for i in range(3) %}{% do ns.v.append(i) %}{% set ns.last = i %}{% endfor %}{{ ns.v }}{{ ns.last }}{% endmacro %}{{ m() }}",
    "{% for k, v in {'a': 1, 'b': 2, 'c': 3}.items() if v != 2 %}{{ loop.index }}{{ k }}{{ loop.previtem if loop.previtem is defined else '-' }}{% endfor %}",
    "{{ [1, 2, 3] | join(', ') | string | length }}|{{ [1, 2] | string | length }}|{{ 'abc' | list | join('-') }}",
    "{{ {'a': 1}.get('a') is number }}|{{ {'a': 1}.get('b') is none }}",
    "{% with a = 1 %}{% with a = a + 1, b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}{% endwith %}",
    "{% set a = 'x' %}{% filter upper %}{% set a = 'y' %}{{ a }}{% endfilter %}{{ a }}",
    "{% set out %}{% set inner = 1 %}{{ inner }}{% endset %}{{ out }}{{ inner is defined }}",
    "{{ x < y }}",
    "{{ 1 < x < 3 }}",
    "{{ [] | first }}",
    "{{ nope | default(nope2) }}",
    "{{ ''.join(['a', none]) }}",
    "{{ 'a' ~ nope }}",
    "{% set x = [1, 2, 3] %}{{ x.pop(1) }}{{ x }}{{ x.index(3) }}{% do x.insert(-1, 9) %}{{ x }}{% do x.insert(99, 7) %}{{ x }}",
    "{{ 'a b c'.split(' ', 1) }}|{{ 'a,b'.split(',', 1) }}|{{ ''.split(',') }}|{{ ''.split() }}|{{ ',a,'.split(',') }}",
    "{{ 'AbC'.lower() == 'abc' }}|{{ 'x'.join('abc') }}|{{ 'a'.center(4) }}|{{ 'ab'.center(5) }}|{{ 'abc'.center(6) }}",
    "{{ '{:,.2f}'.format(1234567.891) }}|{{ '{:_}'.format(1000000) }}|{{ '{:>+8.1f}'.format(3.14) }}|{{ '{:#x}'.format(255) }}|{{ '{:%}'.format(0.5) }}|{{ '{:.0%}'.format(0.126) }}",
    "{{ '{:e}'.format(0.000123) }}|{{ '{:g}'.format(1e20) }}|{{ '{:.3g}'.format(1234.5) }}|{{ '{:10}|'.format(7) }}|{{ '{:<10}|'.format(7) }}",
    "{{ 'x={x} y={y}'.format(x=1, y=[2]) }}|{{ '{0[0]}'.format(['z']) }}|{{ '{a[k]}'.format(a={'k': 'v'}) }}",
    "{{ '{}'.format() }}",
    "{{ '{' }}{{ '}' }}|{{ '{{' }}",
    "{{ 1.5 | string }}|{{ 1e100 }}|{{ 0.1 | float * 3 }}|{{ (0.1 * 3) | round(15) }}",
    "{{ 7 is divisibleby 7.0 }}|{{ 7.5 is divisibleby 2.5 }}|{{ 2.0 is even }}|{{ 3.0 is odd }}",
    "{{ 4 // 2 }}|{{ 4.0 // 2 }}|{{ 4 / 2 }}|{{ 2 ** 2 }}|{{ 2 ** 2.0 }}|{{ 4 % 2.5 }}|{{ -4 % 3 }}",
    "{{ true + true }}|{{ true * 3 }}|{{ -true }}|{{ true / 2 }}|{{ false ** 0 }}",
    "{{ [1, 2] * 0 }}|{{ 'ab' * -1 }}|{{ (1,) * 2 }}",
    "{{ (1, 2) + (3,) }}|{{ [1] + [2] + [3] }}",
    "{{ (1, 2) + [3] }}",
    "{{ 'a' < 'B' }}|{{ 'a' > 'B' }}|{{ 'é' > 'z' }}|{{ [2] > [1, 9] }}|{{ (1, 'a') < (1, 'b') }}",
    "{{ none < 1 }}",
    "{{ {'a': 1} < {'b': 2} }}",
    "{{ [1, 'a'] | max }}",
    "{{ x }}",
    "{% for i in range(3) %}{{ loop.cycle(*['a', 'b']) }}{% endfor %}",
    "{% for i in range(2) %}{{ loop }}{% endfor %}" if False else "{% for i in range(2) %}{{ loop.length }}{{ loop.revindex0 }}{% endfor %}",
    "{% for a in [[1, 2], [3, 4]] %}{% for b in a %}{{ loop.depth }}{% endfor %}{% endfor %}",
    "{% set items = [1, 2] %}{% for items in items %}{{ items }}{% endfor %}{{ items }}",
    "{% for i in range(3) %}{% set i = i * 10 %}{{ i }}{% endfor %}",
    "{% for i in [1, 2] %}{% if loop.first %}{% set first = i %}{% endif %}{{ first is defined }}{% endfor %}",
    "{{ (1, 2) | list | reverse | join }}|{{ {'a': 1} | list | first }}|{{ 'ab' | first | upper }}",
    "{{ [0, 1, 2] | select | list }}|{{ [0, 1, none, '', 'a'] | reject | list }}|{{ [{'a': 0}, {'a': 1}] | selectattr('a') | list }}",
    "{{ [1, 2, 3, 4] | select('divisibleby', 2) | list }}|{{ ['a', 'b'] | select('in', 'abc') | list }}|{{ [1, 2] | map('default', 5) | list }}",
    "{{ ['b', 'a'] | map('upper') | sort | join }}|{{ [3, 2] | map('float') | list }}|{{ ['a', 'b'] | map('replace', 'a', 'x') | list }}",
    "{{ [1, 2] | map(attribute='x', default=0) | list }}",
    "{{ [[1, 2], [3]] | sum(start=[]) }}|{{ [1.5, 2] | sum }}|{{ [] | sum }}",
    "{{ 'a' | sum }}",
    "{{ {'k': 'v'} | dictsort | first | join('=') }}|{{ {'b': 1, 'a': 2} | items | sort | first }}",
    "{{ 'Hello World' | replace('o', '0') | lower | title }}|{{ 'x' | center(3) | length }}",
    "{{ 'a\\n\\nb' | indent(first=true, blank=true) }}|{{ '' | indent }}|{{ 'x\\n' | indent }}",
    "{{ 'one two three four five' | truncate(12, leeway=0) }}|{{ 'one two three four five' | truncate(12, killwords=true, leeway=0) }}|{{ 'abcdefgh' | truncate(5, true, '..', 0) }}",
    "{{ 'abcdefgh' | truncate(2, true, '...', 0) }}",
    "{{ 'x' | wordcount }}|{{ 'hello, world! foo_bar 42' | wordcount }}",
    "{{ '<script>' | striptags }}|{{ 'a <b>bold</b>&amp; c' | striptags }}|{{ '  a \\n b  ' | striptags }}",
    "{{ [1, 2, 3, 4, 5, 6, 7] | slice(3) | list }}|{{ [] | slice(2) | list }}|{{ range(7) | batch(3, 'X') | list }}",
    "{{ {'a': 'x', 'b': 'y'} | urlencode }}|{{ [('a', 1), ('b', 2)] | urlencode }}|{{ 'é/ü?&' | urlencode }}|{{ 42 | urlencode }}",
    "{{ 'A' | unique | list }}|{{ [1, 1.0, true] | unique | list }}|{{ [[1], [1]] | map('first') | unique | list }}",
    "{{ [[1]] | unique | list }}",
    "{{ users | groupby('age') | list | length }}" if False else "{{ [{'t': 'A', 'n': 1}, {'t': 'a', 'n': 2}, {'t': 'b', 'n': 3}] | groupby('t') | map(attribute='grouper') | list }}",
    "{{ [{'t': 'A', 'n': 1}, {'t': 'a', 'n': 2}] | groupby('t', case_sensitive=true) | map(attribute='grouper') | list }}",
    "{{ [{'t': none}, {'t': 1}] | groupby('t') | list | length }}",
    "{{ [{'t': 1}, {'x': 2}] | groupby('t', default=0) | map(attribute='grouper') | list }}",
    "{% for g in [{'t': 'x', 'n': 1}, {'t': 'x', 'n': 2}] | groupby('t') %}{{ g.grouper }}{{ g.list | map(attribute='n') | list }}{{ g[0] }}{% endfor %}",
])
many("lenient2", [
    "{% macro m(a) %}{{ a.x }}{% endmacro %}{{ m({}) }}|",
    "{{ nope | default([]) | length }}|{{ (nope or []) | length }}|{{ nope | string | length }}",
    "{% set x = nope %}{% if x is none %}n{% elif x is defined %}d{% else %}u{% endif %}",
    "{{ nope is string }}|{{ nope is number }}|{{ nope is mapping }}|{{ nope | lower }}|{{ nope | trim }}|{{ nope | title }}",
    "{{ nope | replace('a', 'b') }}|{{ nope | capitalize }}|{{ nope | wordcount }}|{{ nope | reverse | list }}|",
    "{{ [1, nope, 2] | join(',') }}|{{ [nope] | first }}|{{ nope | batch(2) | list }}|",
    "{{ nope | map('upper') | list }}|{{ nope | select | list }}|{{ nope | sum }}|",
    "{{ nope | dictsort }}",
    "{{ nope - 1 }}",
    "{{ -nope }}",
    "{{ nope[0] }}",
    "{{ nope | abs }}",
    "{{ nope | tojson }}",
    "{% for k, v in nope %}{% endfor %}empty",
    "{% set a, b = nope %}",
    "{{ '%s' % nope }}|{{ '{}'.format(nope) }}|",
    "{{ nope ~ nope }}|{{ nope in [] }}|{{ nope not in 'x' }}",
], {"d": {}}, lenient=True)


many("compilecheck", [
    "{% for x in [] %}{{ x | nosuch }}{% endfor %}ok",
    "{% macro m() %}{{ 1 | nosuch }}{% endmacro %}ok",
    "{% if false %}{% for x in [1] %}{{ x | nosuch }}{% endfor %}{% endif %}ok",
    "{% if false %}{% if true %}{{ 1 is nosuchtest }}{% endif %}{% endif %}ok",
    "{{ (1 | nosuch) if false else 'ok' }}",
    "{% set x = 1 | nosuch if false %}ok",
    "{% with a = 1 %}{% if false %}{{ a | nosuch }}{% endif %}{% endwith %}ok",
    "{% if false %}{% filter nosuch %}x{% endfilter %}{% endif %}ok",
    "{% if false %}{% set x | nosuch %}x{% endset %}{% endif %}ok",
    "{% if 1 | nosuch %}x{% endif %}",
    "{% if 'nosuch' is filter %}{{ 1 | nosuch }}{% else %}fallback{% endif %}",
])

# --- whitespace control, systematically --------------------------------------------------------
for left in ["", "-", "+"]:
    for right in ["", "-"]:
        case("wsvar", "a \t\n  {{" + left + " x " + right + "}}  \n\t b", {"x": "X"})
        case("wscom", "a \n {#" + left + " note " + right + "#} \n b")
for left in ["", "-", "+"]:
    for right in ["", "-", "+"]:
        case("wsblk", "a \n {%" + left + " if true " + right + "%} \n c \n {%" + left + " endif " + right + "%} \n b")
        case("wsfor", "[\n{%" + left + " for i in xs " + right + "%}\n  {{ i }}\n{%" + left + " endfor " + right + "%}\n]", {"xs": [1, 2]})
for left in ["", "-"]:
    for right in ["", "-"]:
        case("wsraw", "a \n {%" + left + " raw " + right + "%} \n {{ x }} \n {%" + left + " endraw " + right + "%} \n b")
        case("wsset", "a \n {%" + left + " set v " + right + "%} \n body \n {%" + left + " endset " + right + "%} \n [{{ v }}]")
        case("wsmac", "{%" + left + " macro m() " + right + "%}\n  x\n{%" + left + " endmacro " + right + "%}\n[{{ m() }}]")

many("lex", [
    "{{ '}}' }}|{{ \"%}\" }}|{% set x = '%}' %}{{ x }}|{{ '{#' }}|{# {{ not }} {% rendered %} #}|",
    "{{ {'a': {'b': 1}} }}|{{ {'a': {'b': {'c': 2}}}['a'] }}|{{ [{'k': [1]}] }}",
    "{{x}}{{-x-}}{%if x%}{{x}}{%endif%}",
    "{{\n  x\n  +\n  1\n}}",
    "{%\n  if\n  true\n%}ok{%\nendif\n%}",
    "{{ 'multi\nline string' }}",
    "{{ 1_000_000 + 0x_ff if false else 1_0.5 }}",
    "{{ 1.e5 if false else 2 }}",
    "{{ .5 }}",
    "{{ 5. }}",
    "{{ 1e }}",
    "{{ 'a' ~ 'b' }}{{ 'a''b' }}{{ \"a\" 'b' \"c\" }}",
    "{ {x} }{% raw %}{%{% endraw %}%}{#}",
    "{{ x }}\n{{ x }}\n\n{{ x }}\n",
    "{{ a is defined }}{{ a.b is defined if a is defined else 'na' }}",
    "\u00e9{{ '\u00e9' }}\u00e9{# \u00e9 #}",
    "{{ 'tab\there' }}|{{ \"\\'\" }}|{{ '\\\"' }}|{{ 'a\\\nb' }}",
], {"x": 1})
many("dbtmore", [
    """{%- macro safe_divide(numerator, denominator) -%}
    ( {{ numerator }} ) / nullif( ( {{ denominator }} ), 0)
{%- endmacro -%}
select {{ safe_divide('revenue', 'orders') }} as aov""",
    """{%- macro deduplicate(relation, partition_by, order_by) -%}
    with row_numbered as (
        select
            _inner.*,
            row_number() over (
                partition by {{ partition_by }}
                order by {{ order_by }}
            ) as rn
        from {{ relation }} as _inner
    )
    select distinct data.*
    from {{ relation }} as data
    natural join row_numbered
    where row_numbered.rn = 1
{%- endmacro -%}
{{ deduplicate('events', 'user_id', 'ts desc') }}""",
    """{%- macro group_by(n) -%}
  group by {% for i in range(1, n + 1) -%}
      {{ i }}{{ ',' if not loop.last }}
   {%- endfor -%}
{%- endmacro -%}
select a, b, c, count(*) from t {{ group_by(3) }}""",
    """{%- macro get_url_parameter(field, url_parameter) -%}
{%- set formatted_url_parameter = "'" + url_parameter + "='" -%}
{%- set split = "split_part(split_part(" ~ field ~ ", " ~ formatted_url_parameter ~ ", 2), '&', 1)" -%}
nullif({{ split }},'')
{%- endmacro -%}
{{ get_url_parameter('page_url', 'utm_source') }}""",
    """{%- macro should_full_refresh(flags, config) -%}
  {%- set config_full_refresh = config.get('full_refresh') -%}
  {%- if config_full_refresh is none -%}
    {%- set config_full_refresh = flags.FULL_REFRESH -%}
  {%- endif -%}
  {{ return_(config_full_refresh) if false else config_full_refresh }}
{%- endmacro -%}
{{ should_full_refresh({'FULL_REFRESH': false}, {}) }}|{{ should_full_refresh({'FULL_REFRESH': false}, {'full_refresh': true}) }}""",
    """{%- set cols = [{'name': 'id', 'data_type': 'integer'}, {'name': 'Name', 'data_type': 'varchar(10)'}] -%}
{%- macro get_columns_spec(columns) -%}
  {%- for c in columns -%}
    "{{ c.name }}" {{ c.data_type }}{{ ", " if not loop.last }}
  {%- endfor -%}
{%- endmacro -%}
create table t ({{ get_columns_spec(cols) }})""",
    """{%- set snapshot_cols = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] -%}
{%- set source_cols = ['id', 'status', 'updated_at'] -%}
{%- set insert_cols = source_cols + snapshot_cols -%}
insert into snap ({{ insert_cols | join(', ') }})
select {% for c in insert_cols -%}
  DBT_INTERNAL_SOURCE.{{ c }}{% if not loop.last %}, {% endif %}
{%- endfor %}
from staging as DBT_INTERNAL_SOURCE
where DBT_INTERNAL_SOURCE.dbt_change_type in ('insert', 'update')
{%- if 'deleted' in snapshot_cols %} or deleted{% endif %}""",
    """{%- macro width_bucket(expr, min_value, max_value, num_buckets) -%}
    {%- set bin_size -%}
    (( {{ max_value }} - {{ min_value }} ) / {{ num_buckets }} )
    {%- endset -%}
    (
        case
            when mod(cast({{ expr }} as numeric), cast({{ bin_size }} as numeric)) = 0
            then 1
            else 0
        end
    ) + ceil(({{ expr }} - {{ min_value }}) / {{ bin_size }})
{%- endmacro -%}
{{ width_bucket('amount', 0, 100, 10) }}""",
    """{%- set relations = [{'schema': 'a', 'identifier': 'x'}, {'schema': 'b', 'identifier': 'y'}] -%}
{%- set ns = namespace(sql=[]) -%}
{%- for r in relations -%}
  {%- do ns.sql.append("select '%s.%s' as src, count(*) as n from %s.%s" | format(r.schema, r.identifier, r.schema, r.identifier)) -%}
{%- endfor -%}
{{ ns.sql | join('\\nunion all\\n') }}""",
    """{%- set flags = {'WHICH': 'run', 'FULL_REFRESH': False} -%}
{%- set tags = ['daily', 'finance'] -%}
{%- if flags.WHICH in ('run', 'build') and 'finance' in tags and not flags.FULL_REFRESH -%}
incremental
{%- else -%}
full
{%- endif %} / {{ tags | length }} tags / {{ flags | dictsort | map('first') | join(',') }}""",
])

# --- random expressions (seeded): Jinja2 decides what each one renders or that it fails --------
def random_expressions(n, seed=2024, lenient=False, area="rand"):
    import random
    rng = random.Random(seed)
    atoms = ["1", "0", "-3", "7", "2.5", "0.1", "1e3", "'a'", "'Bc'", "''", "'x y'", "true", "false", "none",
             "[1, 2]", "[]", "['b', 'a']", "(1, 'z')", "{'k': 1}", "{}", "n", "s", "xs", "d", "f"]
    if lenient:
        atoms += ["nope", "nope", "d.missing", "xs[9]"]
    # `**` is left out: `(-3) ** 2.5` is a complex number in Python (see COMPATIBILITY.md).
    binops = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">=", "in", "not in", "and", "or"]
    filters = ["length", "string", "upper", "lower", "first", "last", "list", "sort", "reverse | list", "join(',')",
               "default('D')", "int", "float", "abs", "round", "trim", "title", "capitalize", "unique | list",
               "sum", "min", "max", "tojson", "count", "e", "wordcount", "batch(2) | list", "dictsort",
               "select | list", "map('string') | list", "replace('a', 'A')", "center(7)", "indent(1)", "items | list"]
    tests = ["defined", "none", "number", "string", "odd", "even", "sequence", "mapping", "iterable", "lower",
             "divisibleby(2)", "in([1, 'a'])", "sameas(none)", "true", "integer", "float", "boolean"]

    def expr(depth):
        r = rng.random()
        if depth <= 0 or r < 0.3:
            return rng.choice(atoms)
        if r < 0.55:
            return "(" + expr(depth - 1) + " " + rng.choice(binops) + " " + expr(depth - 1) + ")"
        if r < 0.75:
            return "(" + expr(depth - 1) + " | " + rng.choice(filters) + ")"
        if r < 0.85:
            return "(" + expr(depth - 1) + " is " + rng.choice(["", "not "]) + rng.choice(tests) + ")"
        if r < 0.92:
            return "(" + rng.choice(["not ", "-"]) + expr(depth - 1) + ")"
        return "(" + expr(depth - 1) + " if " + expr(depth - 1) + " else " + expr(depth - 1) + ")"

    for _ in range(n):
        case(area, "{{ " + expr(3) + " }}", {"n": 4, "s": "héllo", "xs": [3, 1, 2], "d": {"b": 2, "a": 1}, "f": 1.5},
             lenient=lenient)


random_expressions(300)
random_expressions(200, seed=11, lenient=True, area="lrand")

def random_statements(n, seed=77):
    """Random nestings of for/if/set/with/macro/call with random whitespace control."""
    import random
    rng = random.Random(seed)
    exprs = ["i", "x", "loop.index", "ns.v", "xs | length", "i * 2", "x ~ '!'", "loop.first", "v", "m(i)",
             "xs[0]", "d.a", "i is even", "none", "'lit'", "acc | join(',')", "loop.cycle('o', 'e')"]

    def ws():
        return rng.choice(["", "", "-"])

    def tag(body):
        return "{%" + ws() + " " + body + " " + ws() + "%}"

    def text():
        return rng.choice(["", " ", "\n", "a", " b ", "\n  ", "c\n"])

    def block(depth):
        out = []
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if depth <= 0 or r < 0.3:
                out.append(text() + "{{" + ws() + " " + rng.choice(exprs) + " " + ws() + "}}" + text())
            elif r < 0.45:
                out.append(tag("for i in xs" + rng.choice(["", " if i > 1"])) + block(depth - 1)
                           + (tag("else") + block(depth - 1) if rng.random() < 0.3 else "") + tag("endfor"))
            elif r < 0.6:
                out.append(tag("if " + rng.choice(exprs)) + block(depth - 1)
                           + (tag("elif " + rng.choice(exprs)) + block(depth - 1) if rng.random() < 0.3 else "")
                           + (tag("else") + block(depth - 1) if rng.random() < 0.5 else "") + tag("endif"))
            elif r < 0.7:
                out.append(tag("set x = " + rng.choice(exprs)))
            elif r < 0.78:
                out.append(tag("set ns.v = ns.v + 1"))
            elif r < 0.85:
                out.append(tag("do acc.append(" + rng.choice(exprs) + ")"))
            elif r < 0.92:
                out.append(tag("with v = " + rng.choice(exprs)) + block(depth - 1) + tag("endwith"))
            else:
                out.append(tag("call(v) m2(" + rng.choice(exprs) + ")") + block(depth - 1) + tag("endcall"))
        return "".join(out)

    prelude = ("{% set ns = namespace(v=0) %}{% set acc = [] %}{% set x = 'X' %}"
               "{% macro m(a) %}<{{ a }}>{% endmacro %}{% macro m2(a) %}[{{ caller(a) }}]{% endmacro %}")
    for _ in range(n):
        case("rstmt", prelude + block(3) + "|{{ x }}|{{ ns.v }}|{{ acc | length }}", {"xs": [1, 2, 3], "d": {"a": 1}})


random_statements(200)

def random_calls(n, seed=3):
    """Python methods and filters with random (often wrong) arguments."""
    import random
    rng = random.Random(seed)
    args = ["", "1", "-1", "0", "2", "'a'", "','", "' '", "''", "'l'", "none", "true", "[1]", "('a', 'b')", "1.5",
            "'x', 1", "'l', 'L'", "'l', 'L', 1", "0, 2", "-2, None", "width=5", "'a', count=1", "key=none",
            "reverse=true", "1, 'b'", "'b', 2"]
    str_methods = ["upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "replace", "startswith",
                   "endswith", "format", "join", "find", "rfind", "index", "count", "title", "capitalize",
                   "isdigit", "isalpha", "zfill", "center", "ljust", "rjust", "partition", "splitlines",
                   "removeprefix", "removesuffix"]
    list_methods = ["append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy"]
    dict_methods = ["items", "keys", "values", "get", "update", "pop", "setdefault", "copy"]
    filters = ["truncate", "indent", "center", "replace", "join", "default", "round", "int", "float", "batch",
               "slice", "sort", "unique", "sum", "max", "min", "dictsort", "wordwrap", "trim", "format",
               "first", "last", "reverse", "list", "length", "map", "select", "reject", "selectattr", "attr",
               "tojson", "urlencode", "xmlattr", "groupby", "items", "string", "title", "capitalize", "e"]
    values = ["'Hello, world'", "'  a,b  '", "'12'", "''", "[3, 1, 2]", "['b', 'A', 'c']", "{'b': 1, 'a': 2}",
              "{'k': 'v'}", "42", "2.675", "none", "true", "(1, 2)", "[{'a': 1}, {'a': 2}]"]
    for _ in range(n):
        kind = rng.random()
        a = rng.choice(args) if rng.random() < 0.8 else ""
        if kind < 0.35:
            t = "{{ %s.%s(%s) }}" % (rng.choice(values[:4]), rng.choice(str_methods), a)
        elif kind < 0.5:
            t = "{%% set v = %s %%}{{ v.%s(%s) }}|{{ v }}" % (rng.choice(values[4:6] + ["[]"]), rng.choice(list_methods), a)
        elif kind < 0.6:
            t = "{%% set v = %s %%}{{ v.%s(%s) | list if v.%s is defined else 'u' }}|{{ v }}" % (
                rng.choice(values[6:8] + ["{}"]), m := rng.choice(dict_methods), a, m)
        else:
            f = rng.choice(filters)
            lazy = f in ("map", "select", "reject", "selectattr", "rejectattr", "unique", "batch", "slice", "items",
                         "reverse", "groupby")
            t = "{{ %s | %s%s%s }}" % (rng.choice(values), f, "(" + a + ")" if a else "", " | list" if lazy else "")
        case("rcall", t)


random_calls(400)

def main():
    for pattern in ("g_*", "lenient_g_*"):
        for old in INPUTS.glob(pattern):
            old.unlink()
    counters = {}
    for area, template, ctx, lenient in CASES:
        counters[area] = counters.get(area, 0) + 1
        prefix = "lenient_g_" if lenient else "g_"
        name = f"{prefix}{area}_{counters[area]:03d}.txt"
        (INPUTS / name).write_bytes((json.dumps(ctx) + "\n---\n" + template).encode("utf-8"))
    print(f"wrote {len(CASES)} generated cases")


if __name__ == "__main__":
    main()
