{{ config(materialized='view', tags=['orders']) }}

select
    id as order_id,
    customer_id,
    order_date,
    status,
    {{ cents_to_dollars('amount') }} as amount
from {{ ref('raw_orders') }}
where amount >= {{ var('min_amount') }}
