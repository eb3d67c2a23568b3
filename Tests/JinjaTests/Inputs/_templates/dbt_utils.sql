{%- macro type_string() -%}varchar{%- endmacro -%}
{%- macro hash(field) -%}md5(cast({{ field }} as {{ type_string() }}))
{%- endmacro -%}
{%- macro concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro -%}
{%- macro generate_surrogate_key(field_list) -%}
{%- set fields = [] -%}
{%- for field in field_list -%}
    {%- do fields.append(
        "coalesce(cast(" ~ field ~ " as " ~ type_string() ~ "), '_dbt_utils_surrogate_key_null_')"
    ) -%}
    {%- if not loop.last %}
        {%- do fields.append("'-'") -%}
    {%- endif -%}
{%- endfor -%}
{{ hash(concat(fields)) }}
{%- endmacro -%}
