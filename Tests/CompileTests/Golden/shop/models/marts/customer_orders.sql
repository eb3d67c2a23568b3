
with  __dbt__cte__eph_completed as (

select * from "shop"."main_staging"."stg_orders" where status = 'completed'
), orders as (
    select * from "shop"."main_staging"."stg_orders"
),
completed as (
    select customer_id, count(*) as completed_orders from __dbt__cte__eph_completed group by 1
)
select
    c.customer_id,
    c.full_name,
    
    sum(case when status = 'placed' then 1 else 0 end) as placed_count,
    sum(case when status = 'shipped' then 1 else 0 end) as shipped_count,
    sum(case when status = 'completed' then 1 else 0 end) as completed_count,
    coalesce(max(completed.completed_orders), 0) as completed_orders
from "shop"."main_staging"."stg_customers" c
left join orders on orders.customer_id = c.customer_id
left join completed on completed.customer_id = c.customer_id
group by 1, 2