-- Daily natural growth per client type and business type (grain: order_date × client_type ×
-- business_type, key growth_key).

select
    concat(cast(order_date as string), '|', client_type, '|', business_type) as growth_key,
    order_date,
    weekday_number,
    weekday_name,
    client_type,
    business_type,
    orders_count,
    previous_day_orders,
    same_weekday_last_week_orders,
    day_over_day_growth,
    week_over_week_growth
from `dev_intermediate.int_natural_growth`