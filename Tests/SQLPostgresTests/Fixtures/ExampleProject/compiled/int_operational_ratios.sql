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
    from `dev_staging.stg_orders`
    where picked_up_at is not null
    group by 1, 2, 3, 4, 5

)

select
    pickup_date,
    client_type,
    business_type,
    sum(orders_count) as picked_up_orders,
    safe_divide(sum(if(creation_lag = 0, orders_count, 0)), sum(orders_count))
        as ratio_created_t,
    safe_divide(sum(if(creation_lag = 1, orders_count, 0)), sum(orders_count))
        as ratio_created_t_minus_1,
    safe_divide(sum(if(creation_lag = 2, orders_count, 0)), sum(orders_count))
        as ratio_created_t_minus_2,
    safe_divide(sum(if(creation_lag = 3, orders_count, 0)), sum(orders_count))
        as ratio_created_t_minus_3,
    safe_divide(sum(if(creation_lag = 4, orders_count, 0)), sum(orders_count))
        as ratio_created_t_minus_4,
    safe_divide(sum(if(creation_lag = 5, orders_count, 0)), sum(orders_count)) as ratio_created_others,
    safe_divide(sum(if(pickup_shift = 'T1', orders_count, 0)), sum(orders_count))
        as ratio_shift_t1,
    safe_divide(sum(if(pickup_shift = 'T2', orders_count, 0)), sum(orders_count))
        as ratio_shift_t2,
    safe_divide(sum(if(pickup_shift = 'T3', orders_count, 0)), sum(orders_count))
        as ratio_shift_t3
from picked_up
group by pickup_date, client_type, business_type