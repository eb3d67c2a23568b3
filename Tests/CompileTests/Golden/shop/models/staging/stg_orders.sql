

select
    id as order_id,
    customer_id,
    order_date,
    status,
    round((amount / 100.0), 2) as amount
from "shop"."main"."raw_orders"
where amount >= 10