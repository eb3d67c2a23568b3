-- The recent shift split of pickups per segment: over the last `forecast_history_weeks` weeks of
-- pickups, the share of each segment's pickups in T1, T2 and T3. Every segment gets all three
-- shifts (a shift without pickups has share 0); a segment without recent pickups falls back to the
-- split of all segments together.

{%- set history_days = 7 * (var('forecast_history_weeks', 4) | int) %}

with picked_up as (

    -- Pickups per day, segment and shift (small: the staging view is read once).
    select pickup_date, client_type, business_type, pickup_shift, count(*) as pickups
    from {{ ref('stg_orders') }}
    where picked_up_at is not null
    group by pickup_date, client_type, business_type, pickup_shift

),

last_day as (

    select max(pickup_date) as last_pickup_date
    from picked_up

),

recent as (

    select picked_up.*
    from picked_up
    cross join last_day
    where {{ dbt.datediff('picked_up.pickup_date', 'last_day.last_pickup_date', 'day') }} < {{ history_days }}

),

shifts as (
    {%- for shift in ['T1', 'T2', 'T3'] %}
    select '{{ shift }}' as shift{{ ' union all' if not loop.last else '' }}
    {%- endfor %}
),

segments as (

    select distinct client_type, business_type
    from {{ ref('int_orders_daily') }}

),

segment_totals as (

    select client_type, business_type, sum(pickups) as pickups
    from recent
    group by client_type, business_type

),

segment_shift_counts as (

    select client_type, business_type, pickup_shift as shift, sum(pickups) as pickups
    from recent
    group by client_type, business_type, pickup_shift

),

overall as (

    select
        pickup_shift as shift,
        {{ ratio('sum(pickups)', '(select sum(pickups) from recent)') }} as share
    from recent
    group by pickup_shift

)

select
    segments.client_type,
    segments.business_type,
    shifts.shift,
    coalesce(segment_totals.pickups, 0) as recent_pickups,
    case
        when segment_totals.pickups is null then coalesce(overall.share, 0)
        else {{ ratio('coalesce(segment_shift_counts.pickups, 0)', 'segment_totals.pickups') }}
    end as shift_share
from segments
cross join shifts
left join segment_totals
    on segment_totals.client_type = segments.client_type
    and segment_totals.business_type = segments.business_type
left join segment_shift_counts
    on segment_shift_counts.client_type = segments.client_type
    and segment_shift_counts.business_type = segments.business_type
    and segment_shift_counts.shift = shifts.shift
left join overall
    on overall.shift = shifts.shift
