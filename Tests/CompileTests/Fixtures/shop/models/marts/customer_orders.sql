{% set statuses = var('statuses') %}
with orders as (
    select * from {{ ref('stg_orders') }}
),
completed as (
    select customer_id, count(*) as completed_orders from {{ ref('eph_completed') }} group by 1
)
select
    c.customer_id,
    c.full_name,
    {{ status_columns(statuses) }},
    coalesce(max(completed.completed_orders), 0) as completed_orders
    {#- a comment that must vanish #}
from {{ ref('stg_customers') }} c
left join orders on orders.customer_id = c.customer_id
left join completed on completed.customer_id = c.customer_id
group by 1, 2
