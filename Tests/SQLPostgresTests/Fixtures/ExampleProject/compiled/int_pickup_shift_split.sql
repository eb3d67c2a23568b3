-- The recent shift split of pickups per segment: over the last `forecast_history_weeks` weeks of
-- pickups, the share of each segment's pickups in T1, T2 and T3. Every segment gets all three
-- shifts (a shift without pickups has share 0); a segment without recent pickups falls back to the
-- split of all segments together.

with recent as (

    -- Pickups per day, segment and shift over the last `history_days` days of pickups.
    select pickup_date, client_type, business_type, pickup_shift as shift, count(*) as pickups
    from `dev_staging.stg_orders`
    where picked_up_at is not null
    group by pickup_date, client_type, business_type, pickup_shift
    qualify date_diff(max(pickup_date) over (), pickup_date, day) < 28

),

shifts as (

    select shift
    from unnest(['T1', 'T2', 'T3']) as shift

),

segments as (

    select distinct client_type, business_type
    from `dev_intermediate.int_orders_daily`

),

segment_shift_counts as (

    -- Each segment's pickups per shift and in all shifts.
    select
        client_type,
        business_type,
        shift,
        sum(pickups) as pickups,
        sum(sum(pickups)) over (partition by client_type, business_type) as segment_pickups
    from recent
    group by client_type, business_type, shift

),

segment_totals as (

    select distinct client_type, business_type, segment_pickups as pickups
    from segment_shift_counts

),

overall as (

    -- The split of all segments together: each shift's pickups over all recent pickups.
    select shift, sum(pickups) / sum(sum(pickups)) over () as share
    from recent
    group by shift

)

select
    segments.client_type,
    segments.business_type,
    shifts.shift,
    coalesce(segment_totals.pickups, 0) as recent_pickups,
    if(
        segment_totals.pickups is null,
        coalesce(overall.share, 0),
        safe_divide(coalesce(segment_shift_counts.pickups, 0), segment_totals.pickups)
    ) as shift_share
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