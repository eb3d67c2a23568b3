-- For the orders picked up on a day, per client type and business type: the share created the same
-- day (T), 1–4 days before (T-1 … T-4) or earlier (Others), and the share picked up in each shift.

with picked_up as (

    select
        pickup_date,
        client_type,
        business_type,
        days_to_pickup,
        pickup_shift
    from {{ ref('stg_orders') }}
    where picked_up_at is not null

)

select
    pickup_date,
    client_type,
    business_type,
    count(*) as picked_up_orders,
    {%- for lag in range(5) %}
    {{ ratio('sum(case when days_to_pickup = ' ~ lag ~ ' then 1 else 0 end)', 'count(*)') }}
        as ratio_created_t{{ '' if lag == 0 else '_minus_' ~ lag }},
    {%- endfor %}
    {{ ratio('sum(case when days_to_pickup >= 5 then 1 else 0 end)', 'count(*)') }} as ratio_created_others,
    {%- for shift in ['T1', 'T2', 'T3'] %}
    {{ ratio("sum(case when pickup_shift = '" ~ shift ~ "' then 1 else 0 end)", 'count(*)') }}
        as ratio_shift_{{ shift | lower }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
from picked_up
group by pickup_date, client_type, business_type
