// PostgreSQL forms of the global project's cross-database macros, written after the behaviour of
// dbt-postgres's `include/postgres/macros/utils/*.sql` (only where dbt-postgres's form differs
// from `default__`). Loaded into the `dbt` package next to `crossDatabaseMacrosSource`, so that
// `adapter.dispatch(name, 'dbt')` finds `postgres__name` on a `postgres` target.

/// Jinja source of the `postgres__` cross-database macros.
///
/// - `dateadd`: `<from> + ((interval '1 <part>') * (<n>))`;
/// - `datediff`: calendar boundaries crossed, from `date_part` (year, quarter, month, day, week,
///   hour, minute, second, millisecond, microsecond), as dbt-postgres writes it;
/// - `last_day`: `quarter` through three months (PostgreSQL has no quarter interval);
/// - `listagg`: `string_agg`, or `array_to_string((array_agg(… order by …))[1:limit], …)`;
/// - `split_part`: a negative part counts from the end;
/// - `any_value`: `min(…)` (PostgreSQL 15 has no `any_value`);
/// - `current_timestamp`: `now()`;
/// - type macros: what dbt-postgres 1.12 renders for them (`TEXT`, `timestamp`, `float`,
///   `numeric(28,6)`, `bigint`, `integer`, `boolean`, checked with `dbt compile`), and
///   `hash`/`cast_bool_to_text` cast to `TEXT`.
package let postgresMacrosSource: String = #"""
{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) %}

    {{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))

{% endmacro %}

{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower | replace("'", "") | trim -%}
    {% if part == 'year' %}
        (date_part('year', ({{second_date}})::date) - date_part('year', ({{first_date}})::date))
    {% elif part == 'quarter' %}
        ({{ dbt.datediff(first_date, second_date, 'year') }} * 4 + date_part('quarter', ({{second_date}})::date) - date_part('quarter', ({{first_date}})::date))
    {% elif part == 'month' %}
        ({{ dbt.datediff(first_date, second_date, 'year') }} * 12 + date_part('month', ({{second_date}})::date) - date_part('month', ({{first_date}})::date))
    {% elif part == 'day' %}
        (({{second_date}})::date - ({{first_date}})::date)
    {% elif part == 'week' %}
        ({{ dbt.datediff(first_date, second_date, 'day') }} / 7 + case
            when date_part('dow', ({{first_date}})::timestamp) <= date_part('dow', ({{second_date}})::timestamp) then
                case when {{first_date}} <= {{second_date}} then 0 else -1 end
            else
                case when {{first_date}} <= {{second_date}} then 1 else 0 end
        end)
    {% elif part == 'hour' %}
        ({{ dbt.datediff(first_date, second_date, 'day') }} * 24 + date_part('hour', ({{second_date}})::timestamp) - date_part('hour', ({{first_date}})::timestamp))
    {% elif part == 'minute' %}
        ({{ dbt.datediff(first_date, second_date, 'hour') }} * 60 + date_part('minute', ({{second_date}})::timestamp) - date_part('minute', ({{first_date}})::timestamp))
    {% elif part == 'second' %}
        ({{ dbt.datediff(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', ({{second_date}})::timestamp)) - floor(date_part('second', ({{first_date}})::timestamp)))
    {% elif part == 'millisecond' %}
        ({{ dbt.datediff(first_date, second_date, 'minute') }} * 60000 + floor(date_part('millisecond', ({{second_date}})::timestamp)) - floor(date_part('millisecond', ({{first_date}})::timestamp)))
    {% elif part == 'microsecond' %}
        ({{ dbt.datediff(first_date, second_date, 'minute') }} * 60000000 + floor(date_part('microsecond', ({{second_date}})::timestamp)) - floor(date_part('microsecond', ({{first_date}})::timestamp)))
    {% else %}
        {{ exceptions.raise_compiler_error("Unsupported datepart for macro datediff in postgres: '" ~ datepart ~ "'") }}
    {% endif %}
{%- endmacro %}

{% macro postgres__last_day(date, datepart) -%}
    {%- if datepart == 'quarter' -%}
    -- postgres dateadd does not support quarter interval.
    cast(
        {{dbt.dateadd('day', '-1',
        dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))
        )}}
        as date)
    {%- else -%}
    {{dbt.default_last_day(date, datepart)}}
    {%- endif -%}
{%- endmacro %}

{% macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {% if limit_num -%}
    array_to_string(
        (array_agg(
            {{ measure }}
            {% if order_by_clause -%}
            {{ order_by_clause }}
            {%- endif %}
        ))[1:{{ limit_num }}],
        {{ delimiter_text }}
        )
    {%- else %}
    string_agg(
        {{ measure }},
        {{ delimiter_text }}
        {% if order_by_clause -%}
        {{ order_by_clause }}
        {%- endif %}
        )
    {%- endif %}
{%- endmacro %}

{% macro postgres__split_part(string_text, delimiter_text, part_number) %}
  {% if part_number >= 0 %}
    {{ dbt.default__split_part(string_text, delimiter_text, part_number) }}
  {% else %}
    split_part(
        {{ string_text }},
        {{ delimiter_text }},
          length({{ string_text }})
          - length(
              replace({{ string_text }},  {{ delimiter_text }}, '')
          ) + 2 + {{ part_number }}
        )
  {% endif %}
{% endmacro %}

{% macro postgres__any_value(expression) -%}

    min({{ expression }})

{%- endmacro %}

{% macro postgres__current_timestamp() -%}
    now()
{%- endmacro %}

{% macro postgres__hash(field) -%}
    md5(cast({{ field }} as TEXT))
{%- endmacro %}

{% macro postgres__cast_bool_to_text(field) %}
    cast({{ field }} as TEXT)
{% endmacro %}

{% macro postgres__type_string() %}
    {{ return("TEXT") }}
{% endmacro %}

{% macro postgres__type_timestamp() %}
    {{ return("timestamp") }}
{% endmacro %}

{% macro postgres__type_float() %}
    {{ return("float") }}
{% endmacro %}

{% macro postgres__type_numeric() %}
    {{ return("numeric(28,6)") }}
{% endmacro %}

{% macro postgres__type_bigint() %}
    {{ return("bigint") }}
{% endmacro %}

{% macro postgres__type_int() %}
    {{ return("integer") }}
{% endmacro %}

{% macro postgres__type_boolean() %}
    {{ return("boolean") }}
{% endmacro %}
"""#
