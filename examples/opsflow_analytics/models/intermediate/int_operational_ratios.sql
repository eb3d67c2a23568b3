-- For the orders picked up on a day, per client type and business type: the share created the same
-- day (T), 1–4 days before (T-1 … T-4) or earlier (Others), and the share picked up in each shift.
-- Counted in two steps (per creation lag and shift, then each count divided by its day's total)
-- so that each order's dates are computed once, however the staging model is materialised.

with picked_up as (

    select
        pickup_date,
        client_type,
        business_type,
        least(days_to_pickup, 5) as creation_lag,
        pickup_shift,
        count(*) as orders_count
    from {{ ref('stg_orders') }}
    where picked_up_at is not null
    group by 1, 2, 3, 4, 5

)

select
    pickup_date,
    client_type,
    business_type,
    sum(orders_count) as picked_up_orders,
    {%- for lag in range(5) %}
    safe_divide(sum(if(creation_lag = {{ lag }}, orders_count, 0)), sum(orders_count))
        as ratio_created_t{{ '' if lag == 0 else '_minus_' ~ lag }},
    {%- endfor %}
    safe_divide(sum(if(creation_lag = 5, orders_count, 0)), sum(orders_count)) as ratio_created_others,
    {%- for shift in ['T1', 'T2', 'T3'] %}
    safe_divide(sum(if(pickup_shift = '{{ shift }}', orders_count, 0)), sum(orders_count))
        as ratio_shift_{{ shift | lower }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
from picked_up
group by pickup_date, client_type, business_type
