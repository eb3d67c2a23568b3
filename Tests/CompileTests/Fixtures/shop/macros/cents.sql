{% macro cents_to_dollars(column_name, scale=2) -%}
    round(({{ column_name }} / 100.0), {{ scale }})
{%- endmacro %}

{% macro status_columns(statuses) -%}
{%- for s in statuses %}
    sum(case when status = '{{ s }}' then 1 else 0 end) as {{ s }}_count{{ "," if not loop.last }}
{%- endfor %}
{%- endmacro %}

{% macro greeting(name) -%}
{%- set parts = name.split(' ') -%}
{{ parts | map('upper') | join('-') }}
{%- endmacro %}
