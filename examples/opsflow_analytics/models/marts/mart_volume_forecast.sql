-- The volume forecast for the next `forecast_horizon_days` days after the last day of data, per
-- day, client type, business type and shift (grain: forecast_date × client_type × business_type ×
-- shift, key forecast_key). Method (see the model description):
--   forecast = same-weekday baseline × trend factor × shift share, promotion spikes left out.

{%- set horizon_days = var('forecast_horizon_days') | int %}
{%- set history_weeks = var('forecast_history_weeks', 4) | int %}

with daily as (

    -- A day is a spike (a promotion) when the segment's orders exceed `forecast_spike_factor`
    -- (1.5) × the same weekday a week earlier; spikes are left out of baseline and trend.
    select
        order_date,
        weekday_number,
        client_type,
        business_type,
        orders_count,
        case when week_over_week_growth > {{ var('forecast_spike_factor', 1.5) }} then 1 else 0 end as is_spike
    from {{ ref('int_natural_growth') }}

),

last_day as (

    select max(order_date) as last_date
    from daily

),

history as (

    -- The last `forecast_history_weeks` weeks of days without spikes.
    select
        daily.*,
        {{ dbt.datediff('daily.order_date', 'last_day.last_date', 'day') }} as days_before_last
    from daily
    cross join last_day
    where {{ dbt.datediff('daily.order_date', 'last_day.last_date', 'day') }} < {{ 7 * history_weeks }}
      and daily.is_spike = 0

),

horizon as (
    {%- for offset in range(1, horizon_days + 1) %}
    select {{ offset }} as day_offset{{ ' union all' if not loop.last else '' }}
    {%- endfor %}
),

forecast_days as (

    select
        horizon.day_offset,
        last_day.last_date,
        date({{ dbt.dateadd('day', 'horizon.day_offset', 'last_day.last_date') }}) as forecast_date
    from horizon
    cross join last_day

),

weekday_means as (

    -- Baseline: the segment's mean orders on each weekday over the history window.
    select
        client_type,
        business_type,
        weekday_number,
        avg({{ dbt.safe_cast('orders_count', dbt.type_float()) }}) as mean_orders
    from history
    group by client_type, business_type, weekday_number

),

trend as (

    -- Trend: how the last 7 days compare with their weekday's mean (mean of the day ratios),
    -- kept within [0.5, 1.5].
    select
        history.client_type,
        history.business_type,
        avg({{ ratio('history.orders_count', 'weekday_means.mean_orders') }}) as raw_trend
    from history
    inner join weekday_means
        on weekday_means.client_type = history.client_type
        and weekday_means.business_type = history.business_type
        and weekday_means.weekday_number = history.weekday_number
    where history.days_before_last < 7
    group by history.client_type, history.business_type

),

baseline as (

    select
        forecast_days.forecast_date,
        weekday_means.client_type,
        weekday_means.business_type,
        weekday_means.mean_orders as baseline_orders,
        case
            when trend.raw_trend is null then 1.0
            when trend.raw_trend < 0.5 then 0.5
            when trend.raw_trend > 1.5 then 1.5
            else trend.raw_trend
        end as trend_factor
    from forecast_days
    inner join weekday_means
        on weekday_means.weekday_number = {{ day_of_week('forecast_days.forecast_date') }}
    left join trend
        on trend.client_type = weekday_means.client_type
        and trend.business_type = weekday_means.business_type

)

select
    {{ dbt.concat(["baseline.forecast_date", "'|'", "baseline.client_type", "'|'", "baseline.business_type", "'|'", "split.shift"]) }}
        as forecast_key,
    baseline.forecast_date,
    forecast_days.day_offset,
    {{ weekday_name('baseline.forecast_date') }} as weekday_name,
    baseline.client_type,
    baseline.business_type,
    split.shift,
    round(baseline.baseline_orders, 2) as baseline_orders,
    round(baseline.trend_factor, 4) as trend_factor,
    round(split.shift_share, 4) as shift_share,
    round(baseline.baseline_orders * baseline.trend_factor * split.shift_share, 2) as forecast_orders,
    forecast_days.last_date as last_data_date
from baseline
inner join forecast_days
    on forecast_days.forecast_date = baseline.forecast_date
inner join {{ ref('int_pickup_shift_split') }} as split
    on split.client_type = baseline.client_type
    and split.business_type = baseline.business_type
