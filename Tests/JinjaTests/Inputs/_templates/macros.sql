{% set version = '1.2' %}
{% set _private = 'hidden' %}
{% macro greet(name, punct='!') -%}
Hello {{ name }}{{ punct }}
{%- endmacro %}
{% macro shout(text) -%}
{{ greet(text | upper, punct='!!') }}
{%- endmacro %}
{% macro wrap(tag='div') -%}
<{{ tag }}>{{ caller() }}</{{ tag }}>
{%- endmacro %}
{% macro versioned(x) %}{{ x }}@{{ version }}{% endmacro %}
