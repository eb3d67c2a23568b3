{% macro cents_to_dollars(column_name, scale=2) %}
    ({{ column_name }} / 100)::numeric(16, {{ scale }})
{% endmacro %}

{% test dbt_utils_like_expression(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
