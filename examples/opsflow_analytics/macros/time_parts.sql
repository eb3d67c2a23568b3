{#- Date parts that dbt's cross-database macros do not cover, dispatched per warehouse. -#}

{% macro hour_of(timestamp_expression) -%}
    {{ return(adapter.dispatch('hour_of')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__hour_of(timestamp_expression) -%}
    extract(hour from {{ timestamp_expression }})
{%- endmacro %}

{% macro sqlite__hour_of(timestamp_expression) -%}
    cast(strftime('%H', {{ timestamp_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro day_of_week(date_expression) -%}
    {#- 0 = Sunday … 6 = Saturday. -#}
    {{ return(adapter.dispatch('day_of_week')(date_expression)) }}
{%- endmacro %}

{% macro default__day_of_week(date_expression) -%}
    extract(dow from {{ date_expression }})
{%- endmacro %}

{% macro sqlite__day_of_week(date_expression) -%}
    cast(strftime('%w', {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro weekday_name(date_expression) -%}
    case {{ day_of_week(date_expression) }}
        {%- for name in ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] %}
        when {{ loop.index0 }} then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro shift_of(hour_expression) -%}
    {#- The three sorting shifts: T1 = 06–13 h, T2 = 14–21 h, T3 = 22–05 h. -#}
    case
        when {{ hour_expression }} is null then null
        when {{ hour_expression }} between 6 and 13 then 'T1'
        when {{ hour_expression }} between 14 and 21 then 'T2'
        else 'T3'
    end
{%- endmacro %}

{% macro ratio(numerator, denominator) -%}
    {#- A share as a float (SQLite's 1/2 is 0) and NULL, not an error, when the denominator is 0. -#}
    {{ dbt.safe_cast(numerator, dbt.type_float()) }} / nullif({{ denominator }}, 0)
{%- endmacro %}
