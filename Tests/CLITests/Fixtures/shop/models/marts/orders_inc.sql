{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy=var('strategy', 'merge'),
    on_schema_change=var('osc', 'ignore')
) }}
select order_id, amount * {{ var('factor') }} as amount
{%- if var('add_col', false) %}, 'x' as extra{% endif %}
{%- if not var('drop_status', false) %}, status{% endif %}
from {{ ref('raw_orders') }}
where order_id <= {{ var('max_id') }}
{% if is_incremental() %}
  and order_id >= 2
{% endif %}
