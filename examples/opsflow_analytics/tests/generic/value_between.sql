{#- Fails (or warns) for every non-null value outside [min_value, max_value]. -#}
{% test value_between(model, column_name, min_value, max_value) %}

select
    {{ column_name }} as value_field
from {{ model }}
where {{ column_name }} is not null
  and ({{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }})

{% endtest %}
