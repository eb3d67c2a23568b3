// The global project's cross-database macros (dbt's `dbt.*` namespace), written after the
// behaviour of dbt-adapters' `include/global_project/macros/utils/*.sql`, with `sqlite__` forms
// for the embedded warehouse. Loaded into the Jinja environment as the package `dbt`.

/// Jinja source of the cross-database macros: each public macro dispatches through
/// `adapter.dispatch(name, 'dbt')` to `<adapter>__name` or `default__name`.
///
/// `default__` forms render what dbt's default forms render (some of them raise
/// "not implemented" in dbt too). `sqlite__` forms keep dbt's semantics on SQLite 3.40:
/// - `datediff` counts datepart *boundaries crossed* (dbt docs: "the number of datepart
///   boundaries between first_date and second_date"): day = calendar days, week = Monday-start
///   weeks, month/quarter/year from the calendar fields, hour/minute/second from truncated times;
/// - `dateadd` returns a `YYYY-MM-DD HH:MM:SS` text timestamp (like `datetime()`); month, quarter
///   and year steps clamp to the month's last day as PostgreSQL does (Jan 31 + 1 month = Feb 28);
/// - `date_trunc` returns a text timestamp at the start of the period (week = ISO, Monday);
/// - type macros return SQLite type names with the right affinity (`TIMESTAMP` would give NUMERIC
///   affinity and turn `'2026-01-01 10:00:00'` into 2026, so timestamps are `TEXT`);
/// - `hash` renders `md5(...)`: the warehouse must register an `md5(text)` function returning
///   lower-case hex;
/// - `listagg` with an order or a limit raises (SQLite 3.40's `group_concat` cannot order).
package let crossDatabaseMacrosSource: String = #"""
{# ---------------------------------------------------------------- dates #}

{% macro datediff(first_date, second_date, datepart) %}
  {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{% endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
    datediff(
        {{ datepart }},
        {{ first_date }},
        {{ second_date }}
        )
{%- endmacro %}

{% macro sqlite__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower | replace("'", "") | trim -%}
    {%- if part == 'day' -%}
        cast(julianday(date({{ second_date }})) - julianday(date({{ first_date }})) as integer)
    {%- elif part == 'week' -%}
        cast(round((julianday(date({{ second_date }}, 'weekday 0', '-6 days')) - julianday(date({{ first_date }}, 'weekday 0', '-6 days'))) / 7) as integer)
    {%- elif part == 'month' -%}
        ((cast(strftime('%Y', {{ second_date }}) as integer) - cast(strftime('%Y', {{ first_date }}) as integer)) * 12 + cast(strftime('%m', {{ second_date }}) as integer) - cast(strftime('%m', {{ first_date }}) as integer))
    {%- elif part == 'quarter' -%}
        ((cast(strftime('%Y', {{ second_date }}) as integer) - cast(strftime('%Y', {{ first_date }}) as integer)) * 4 + (cast(strftime('%m', {{ second_date }}) as integer) - 1) / 3 - (cast(strftime('%m', {{ first_date }}) as integer) - 1) / 3)
    {%- elif part == 'year' -%}
        (cast(strftime('%Y', {{ second_date }}) as integer) - cast(strftime('%Y', {{ first_date }}) as integer))
    {%- elif part == 'hour' -%}
        cast(round((julianday(strftime('%Y-%m-%d %H:00:00', {{ second_date }})) - julianday(strftime('%Y-%m-%d %H:00:00', {{ first_date }}))) * 24) as integer)
    {%- elif part == 'minute' -%}
        cast(round((julianday(strftime('%Y-%m-%d %H:%M:00', {{ second_date }})) - julianday(strftime('%Y-%m-%d %H:%M:00', {{ first_date }}))) * 1440) as integer)
    {%- elif part == 'second' -%}
        cast(round((julianday(strftime('%Y-%m-%d %H:%M:%S', {{ second_date }})) - julianday(strftime('%Y-%m-%d %H:%M:%S', {{ first_date }}))) * 86400) as integer)
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: datepart '" ~ datepart ~ "' is not supported on SQLite (use day, week, month, quarter, year, hour, minute or second)") }}
    {%- endif -%}
{%- endmacro %}

{% macro dateadd(datepart, interval, from_date_or_timestamp) %}
  {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{% endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) %}

    dateadd(
        {{ datepart }},
        {{ interval }},
        {{ from_date_or_timestamp }}
        )

{% endmacro %}

{% macro sqlite__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set part = datepart | lower | replace("'", "") | trim -%}
    {%- set units = {'day': ['days', 1], 'week': ['days', 7], 'hour': ['hours', 1], 'minute': ['minutes', 1], 'second': ['seconds', 1], 'month': ['months', 1], 'quarter': ['months', 3], 'year': ['years', 1]} -%}
    {%- if part not in units -%}
        {{ exceptions.raise_compiler_error("dateadd: datepart '" ~ datepart ~ "' is not supported on SQLite") }}
    {%- endif -%}
    {%- set unit = units[part][0] -%}
    {%- set step -%}(({{ interval }}) * {{ units[part][1] }}) || ' {{ unit }}'{%- endset -%}
    {%- if unit == 'months' or unit == 'years' -%}
        case when strftime('%d', datetime({{ from_date_or_timestamp }}, {{ step }})) = strftime('%d', {{ from_date_or_timestamp }}) then datetime({{ from_date_or_timestamp }}, {{ step }}) else datetime(date({{ from_date_or_timestamp }}, 'start of month', {{ step }}, '+1 month', '-1 day') || ' ' || time({{ from_date_or_timestamp }})) end
    {%- else -%}
        datetime({{ from_date_or_timestamp }}, {{ step }})
    {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
  {{ return(adapter.dispatch('date_trunc', 'dbt') (datepart, date)) }}
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
    date_trunc('{{datepart}}', {{date}})
{%- endmacro %}

{% macro sqlite__date_trunc(datepart, date) -%}
    {%- set part = datepart | lower | replace("'", "") | trim -%}
    {%- if part == 'year' -%}
        datetime({{ date }}, 'start of year')
    {%- elif part == 'quarter' -%}
        datetime({{ date }}, 'start of month', '-' || ((cast(strftime('%m', {{ date }}) as integer) - 1) % 3) || ' months')
    {%- elif part == 'month' -%}
        datetime({{ date }}, 'start of month')
    {%- elif part == 'week' -%}
        datetime({{ date }}, 'start of day', 'weekday 0', '-6 days')
    {%- elif part == 'day' -%}
        datetime({{ date }}, 'start of day')
    {%- elif part == 'hour' -%}
        strftime('%Y-%m-%d %H:00:00', {{ date }})
    {%- elif part == 'minute' -%}
        strftime('%Y-%m-%d %H:%M:00', {{ date }})
    {%- elif part == 'second' -%}
        strftime('%Y-%m-%d %H:%M:%S', {{ date }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("date_trunc: datepart '" ~ datepart ~ "' is not supported on SQLite") }}
    {%- endif -%}
{%- endmacro %}

{% macro last_day(date, datepart) %}
  {{ return(adapter.dispatch('last_day', 'dbt') (date, datepart)) }}
{% endmacro %}

{%- macro default_last_day(date, datepart) -%}
    cast(
        {{dbt.dateadd('day', '-1',
        dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))
        )}}
        as date)
{%- endmacro -%}

{% macro default__last_day(date, datepart) -%}
    {{dbt.default_last_day(date, datepart)}}
{%- endmacro %}

{% macro sqlite__last_day(date, datepart) -%}
    date({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }})
{%- endmacro %}

{% macro current_timestamp() -%}
  {{ adapter.dispatch('current_timestamp', 'dbt')() }}
{%- endmacro %}

{% macro default__current_timestamp() -%}
  {{ exceptions.raise_not_implemented(
    'current_timestamp macro not implemented for adapter ' + adapter.type()) }}
{%- endmacro %}

{% macro sqlite__current_timestamp() -%}
    datetime('now')
{%- endmacro %}

{# ---------------------------------------------------------------- types #}

{%- macro type_string() -%}
  {{ return(adapter.dispatch('type_string', 'dbt')()) }}
{%- endmacro -%}

{% macro default__type_string() %}
    {{ return(api.Column.translate_type("string")) }}
{% endmacro %}

{% macro sqlite__type_string() %}
    {{ return("TEXT") }}
{% endmacro %}

{%- macro type_timestamp() -%}
  {{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}
{%- endmacro -%}

{% macro default__type_timestamp() %}
    {{ return(api.Column.translate_type("timestamp")) }}
{% endmacro %}

{% macro sqlite__type_timestamp() %}
    {{ return("TEXT") }}
{% endmacro %}

{%- macro type_float() -%}
  {{ return(adapter.dispatch('type_float', 'dbt')()) }}
{%- endmacro -%}

{% macro default__type_float() %}
    {{ return(api.Column.translate_type("float")) }}
{% endmacro %}

{% macro sqlite__type_float() %}
    {{ return("REAL") }}
{% endmacro %}

{%- macro type_numeric() -%}
  {{ return(adapter.dispatch('type_numeric', 'dbt')()) }}
{%- endmacro -%}

{% macro default__type_numeric() %}
    {{ return(api.Column.numeric_type("numeric", 28, 6)) }}
{% endmacro %}

{% macro sqlite__type_numeric() %}
    {{ return("NUMERIC") }}
{% endmacro %}

{%- macro type_bigint() -%}
  {{ return(adapter.dispatch('type_bigint', 'dbt')()) }}
{%- endmacro -%}

{% macro default__type_bigint() %}
    {{ return(api.Column.translate_type("bigint")) }}
{% endmacro %}

{% macro sqlite__type_bigint() %}
    {{ return("INTEGER") }}
{% endmacro %}

{%- macro type_int() -%}
  {{ return(adapter.dispatch('type_int', 'dbt')()) }}
{%- endmacro -%}

{%- macro default__type_int() -%}
  {{ return(api.Column.translate_type("integer")) }}
{%- endmacro -%}

{%- macro sqlite__type_int() -%}
  {{ return("INTEGER") }}
{%- endmacro -%}

{%- macro type_boolean() -%}
  {{ return(adapter.dispatch('type_boolean', 'dbt')()) }}
{%- endmacro -%}

{%- macro default__type_boolean() -%}
  {{ return(api.Column.translate_type("boolean")) }}
{%- endmacro -%}

{%- macro sqlite__type_boolean() -%}
  {{ return("INTEGER") }}
{%- endmacro -%}

{# ---------------------------------------------------------------- casts #}

{% macro cast(field, type) %}
  {{ return(adapter.dispatch('cast', 'dbt') (field, type)) }}
{% endmacro %}

{% macro default__cast(field, type) %}
    cast({{field}} as {{type}})
{% endmacro %}

{% macro safe_cast(field, type) %}
  {{ return(adapter.dispatch('safe_cast', 'dbt') (field, type)) }}
{% endmacro %}

{% macro default__safe_cast(field, type) %}
    {# Most databases do not have a safe cast; SQLite's cast never fails, so this is safe there. #}
    cast({{field}} as {{type}})
{% endmacro %}

{% macro cast_bool_to_text(field) %}
  {{ adapter.dispatch('cast_bool_to_text', 'dbt') (field) }}
{% endmacro %}

{% macro default__cast_bool_to_text(field) %}
    cast({{ field }} as {{ api.Column.translate_type('string') }})
{% endmacro %}

{% macro sqlite__cast_bool_to_text(field) -%}
    case when {{ field }} is null then null when {{ field }} then 'true' else 'false' end
{%- endmacro %}

{# ---------------------------------------------------------------- strings #}

{% macro concat(fields) -%}
  {{ return(adapter.dispatch('concat', 'dbt')(fields)) }}
{%- endmacro %}

{% macro default__concat(fields) -%}
    {{ fields|join(' || ') }}
{%- endmacro %}

{% macro hash(field) -%}
  {{ return(adapter.dispatch('hash', 'dbt') (field)) }}
{%- endmacro %}

{% macro default__hash(field) -%}
    md5(cast({{ field }} as {{ api.Column.translate_type('string') }}))
{%- endmacro %}

{% macro sqlite__hash(field) -%}
    md5(cast({{ field }} as TEXT))
{%- endmacro %}

{% macro split_part(string_text, delimiter_text, part_number) %}
  {{ return(adapter.dispatch('split_part', 'dbt') (string_text, delimiter_text, part_number)) }}
{% endmacro %}

{% macro default__split_part(string_text, delimiter_text, part_number) %}

    split_part(
        {{ string_text }},
        {{ delimiter_text }},
        {{ part_number }}
        )

{% endmacro %}

{% macro sqlite__split_part(string_text, delimiter_text, part_number) -%}
    {#- SQLite has no split_part: peel the string part by part (part_number must be a positive literal).
        rest_k is what follows the k-th delimiter ('' once the parts run out). -#}
    {%- if part_number is not number or part_number < 1 -%}
        {{ exceptions.raise_compiler_error("split_part on SQLite needs a positive integer part_number, got " ~ part_number) }}
    {%- endif -%}
    {%- set ns = namespace(rest=string_text) -%}
    {%- for _ in range(part_number - 1) -%}
        {%- set ns.rest = "(case when instr(" ~ ns.rest ~ ", " ~ delimiter_text ~ ") = 0 then '' else substr(" ~ ns.rest ~ ", instr(" ~ ns.rest ~ ", " ~ delimiter_text ~ ") + length(" ~ delimiter_text ~ ")) end)" -%}
    {%- endfor -%}
    (case when instr({{ ns.rest }}, {{ delimiter_text }}) = 0 then {{ ns.rest }} else substr({{ ns.rest }}, 1, instr({{ ns.rest }}, {{ delimiter_text }}) - 1) end)
{%- endmacro %}

{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {{ return(adapter.dispatch('listagg', 'dbt') (measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro %}

{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {% if limit_num -%}
    array_to_string(
        array_slice(
            array_agg(
                {{ measure }}
            ){% if order_by_clause -%}
            within group ({{ order_by_clause }})
            {%- endif %}
            ,0
            ,{{ limit_num }}
        ),
        {{ delimiter_text }}
        )
    {%- else %}
    listagg(
        {{ measure }},
        {{ delimiter_text }}
        )
        {% if order_by_clause -%}
        within group ({{ order_by_clause }})
        {%- endif %}
    {%- endif %}
{%- endmacro %}

{% macro sqlite__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause or limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with order_by_clause or limit_num is not supported on SQLite 3.40 (group_concat cannot order)") }}
    {%- endif -%}
    group_concat({{ measure }}, {{ delimiter_text }})
{%- endmacro %}

{% macro right(string_text, length_expression) -%}
    {{ return(adapter.dispatch('right', 'dbt') (string_text, length_expression)) }}
{%- endmacro %}

{% macro default__right(string_text, length_expression) %}

    right(
        {{ string_text }},
        {{ length_expression }}
    )

{%- endmacro -%}

{% macro sqlite__right(string_text, length_expression) -%}
    substr({{ string_text }}, max(length({{ string_text }}) - ({{ length_expression }}) + 1, 1))
{%- endmacro %}

{% macro length(expression) -%}
    {{ return(adapter.dispatch('length', 'dbt') (expression)) }}
{% endmacro %}

{% macro default__length(expression) %}

    length(
        {{ expression }}
    )

{%- endmacro -%}

{% macro replace(field, old_chars, new_chars) -%}
    {{ return(adapter.dispatch('replace', 'dbt') (field, old_chars, new_chars)) }}
{% endmacro %}

{% macro default__replace(field, old_chars, new_chars) %}

    replace(
        {{ field }},
        {{ old_chars }},
        {{ new_chars }}
    )

{% endmacro %}

{% macro position(substring_text, string_text) -%}
    {{ return(adapter.dispatch('position', 'dbt') (substring_text, string_text)) }}
{% endmacro %}

{% macro default__position(substring_text, string_text) %}

    position(
        {{ substring_text }} in {{ string_text }}
    )

{%- endmacro -%}

{% macro sqlite__position(substring_text, string_text) -%}
    instr({{ string_text }}, {{ substring_text }})
{%- endmacro %}

{% macro escape_single_quotes(expression) %}
      {{ return(adapter.dispatch('escape_single_quotes', 'dbt') (expression)) }}
{% endmacro %}

{% macro default__escape_single_quotes(expression) -%}
{{ expression | replace("'","''") }}
{%- endmacro %}

{%- macro string_literal(value) -%}
  {{ return(adapter.dispatch('string_literal', 'dbt') (value)) }}
{%- endmacro -%}

{% macro default__string_literal(value) -%}
    '{{ value }}'
{%- endmacro %}

{# ---------------------------------------------------------------- aggregates and sets #}

{% macro any_value(expression) -%}
    {{ return(adapter.dispatch('any_value', 'dbt') (expression)) }}
{% endmacro %}

{% macro default__any_value(expression) -%}

    any_value({{ expression }})

{%- endmacro %}

{% macro sqlite__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{% macro bool_or(expression) -%}
    {{ return(adapter.dispatch('bool_or', 'dbt') (expression)) }}
{% endmacro %}

{% macro default__bool_or(expression) -%}

    bool_or({{ expression }})

{%- endmacro %}

{% macro sqlite__bool_or(expression) -%}
    max(case when {{ expression }} then 1 when not ({{ expression }}) then 0 end)
{%- endmacro %}

{% macro except() %}
  {{ return(adapter.dispatch('except', 'dbt')()) }}
{% endmacro %}

{% macro default__except() %}

    except

{% endmacro %}

{% macro intersect() %}
  {{ return(adapter.dispatch('intersect', 'dbt')()) }}
{% endmacro %}

{% macro default__intersect() %}

    intersect

{% endmacro %}
"""#
