-- The volume forecast for the next `forecast_horizon_days` days after the last day of data, per
-- day, client type, business type and shift (grain: forecast_date × client_type × business_type ×
-- shift, key forecast_key). Method (see the model description):
--   forecast = same-weekday baseline × trend factor × shift share, promotion spikes left out.

with history as (

    -- The last `forecast_history_weeks` weeks of days, without promotion spikes: a day is a spike
    -- when the segment's orders exceed `forecast_spike_factor` (1.5) × the same weekday a week
    -- earlier. The last day of data is taken over all days, spikes included.
    select
        order_date,
        weekday_number,
        client_type,
        business_type,
        orders_count,
        date_diff(max(order_date) over (), order_date, day) as days_before_last
    from `dev_intermediate.int_natural_growth`
    qualify date_diff(max(order_date) over (), order_date, day) < 28
        and coalesce(week_over_week_growth > 1.5, false) = false

),

forecast_days as (

    select
        day_offset,
        last_date,
        date_add(last_date, interval day_offset day) as forecast_date
    from (select max(order_date) as last_date from `dev_intermediate.int_natural_growth`)
    cross join unnest(generate_array(1, 7)) as day_offset

),

weekday_means as (

    -- Baseline: the segment's mean orders on each weekday over the history window.
    select
        client_type,
        business_type,
        weekday_number,
        avg(orders_count) as mean_orders
    from history
    group by client_type, business_type, weekday_number

),

trend as (

    -- Trend: how the last 7 days compare with their weekday's mean (mean of the day ratios).
    select
        history.client_type,
        history.business_type,
        avg(safe_divide(history.orders_count, weekday_means.mean_orders)) as raw_trend
    from history
    inner join weekday_means
        using (client_type, business_type, weekday_number)
    where history.days_before_last < 7
    group by history.client_type, history.business_type

),

baseline as (

    select
        forecast_days.forecast_date,
        forecast_days.day_offset,
        forecast_days.last_date,
        weekday_means.client_type,
        weekday_means.business_type,
        weekday_means.mean_orders as baseline_orders,
        -- Kept within [0.5, 1.5]; 1.0 when the segment had no day in the last week.
        coalesce(least(greatest(trend.raw_trend, 0.5), 1.5), 1.0) as trend_factor
    from forecast_days
    inner join weekday_means
        on weekday_means.weekday_number = extract(dayofweek from forecast_days.forecast_date) - 1
    left join trend
        on trend.client_type = weekday_means.client_type
        and trend.business_type = weekday_means.business_type

)

select
    concat(
        cast(baseline.forecast_date as string), '|', baseline.client_type, '|',
        baseline.business_type, '|', split.shift
    ) as forecast_key,
    baseline.forecast_date,
    baseline.day_offset,
    format_date('%a', baseline.forecast_date) as weekday_name,
    baseline.client_type,
    baseline.business_type,
    split.shift,
    round(baseline.baseline_orders, 2) as baseline_orders,
    round(baseline.trend_factor, 4) as trend_factor,
    round(split.shift_share, 4) as shift_share,
    round(baseline.baseline_orders * baseline.trend_factor * split.shift_share, 2) as forecast_orders,
    baseline.last_date as last_data_date
from baseline
inner join `dev_intermediate.int_pickup_shift_split` as split
    on split.client_type = baseline.client_type
    and split.business_type = baseline.business_type