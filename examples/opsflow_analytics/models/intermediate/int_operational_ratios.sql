-- For the orders picked up on a day, per client type and business type: the share created the same
-- day (T), 1–4 days before (T-1 … T-4) or earlier (Others), and the share picked up in each shift.
-- Counted in two steps (per creation lag and shift, then pivoted) so that each order's dates are
-- computed once, whatever the warehouse's optimiser does with the staging view.

with picked_up as (

    select
        pickup_date,
        client_type,
        business_type,
        case when days_to_pickup >= 5 then 5 else days_to_pickup end as creation_lag,
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
    {{ ratio('sum(case when creation_lag = ' ~ lag ~ ' then orders_count else 0 end)', 'sum(orders_count)') }}
        as ratio_created_t{{ '' if lag == 0 else '_minus_' ~ lag }},
    {%- endfor %}
    {{ ratio('sum(case when creation_lag = 5 then orders_count else 0 end)', 'sum(orders_count)') }} as ratio_created_others,
    {%- for shift in ['T1', 'T2', 'T3'] %}
    {{ ratio("sum(case when pickup_shift = '" ~ shift ~ "' then orders_count else 0 end)", 'sum(orders_count)') }}
        as ratio_shift_{{ shift | lower }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
from picked_up
group by pickup_date, client_type, business_type
