{{ config(materialized='incremental', unique_key=['order_id', 'customer_id'], on_schema_change='append_new_columns') }}
select o.order_id, o.customer_id, sum(p.amount) as amount
from {{ ref('stg_orders') }} o
join {{ ref('stg_payments') }} p using (order_id)
group by 1, 2
