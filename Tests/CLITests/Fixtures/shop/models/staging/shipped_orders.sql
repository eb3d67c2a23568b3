{{ config(materialized='ephemeral') }}
select order_id, customer_code, amount
from {{ ref('stg_orders') }}
where status = 'shipped'
