-- Natural growth of each segment: the day's orders against the previous day's and against the
-- same weekday one week earlier, as growth factors (1.0 = flat, 1.2 = +20 %). NULL when there is
-- no earlier day in the data or it had no orders.

with daily as (

    select * from `dev_intermediate.int_orders_daily`

)

select
    today.order_date,
    today.weekday_number,
    today.weekday_name,
    today.client_type,
    today.business_type,
    today.orders_count,
    previous_day.orders_count as previous_day_orders,
    last_week.orders_count as same_weekday_last_week_orders,
    safe_divide(today.orders_count, previous_day.orders_count) as day_over_day_growth,
    safe_divide(today.orders_count, last_week.orders_count) as week_over_week_growth
from daily as today
left join daily as previous_day
    on previous_day.client_type = today.client_type
    and previous_day.business_type = today.business_type
    and previous_day.order_date = date_sub(today.order_date, interval 1 day)
left join daily as last_week
    on last_week.client_type = today.client_type
    and last_week.business_type = today.business_type
    and last_week.order_date = date_sub(today.order_date, interval 7 day)