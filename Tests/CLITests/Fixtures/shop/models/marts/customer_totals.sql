{{ config(
    pre_hook="insert into hook_log values ('pre customer_totals')",
    post_hook="insert into hook_log values ('post customer_totals')"
) }}
select c.customer_code, c.name, count(o.order_id) as shipped_count, coalesce(sum(o.amount), 0) as shipped_amount
from {{ ref('stg_customers') }} as c
left join {{ ref('shipped_orders') }} as o on o.customer_code = c.customer_code
group by c.customer_code, c.name
