{{ config(tags=['staging']) }}
select order_id, customer_code, amount, status
from {{ ref('raw_orders') }}
where amount > {{ var('min_amount') }}
