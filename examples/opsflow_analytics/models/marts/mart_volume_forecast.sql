-- The volume forecast for the next `forecast_horizon_days` days after the last day of data, per
-- day, client type, business type and shift (grain: forecast_date × client_type × business_type ×
-- shift, key forecast_key). Method (see the model description):
--   forecast = same-weekday baseline × trend factor × shift share.

{%- set horizon_days = var('forecast_horizon_days') | int %}
{%- set history_weeks = var('forecast_history_weeks', 4) | int %}

with daily as (

    select order_date, client_type, business_type, orders_count
    from {{ ref('int_orders_daily') }}

),

last_day as (

    select max(order_date) as last_date
    from daily

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

baseline as (

    -- The mean of the same weekday in each of the last weeks (7, 14, … days before the forecast
    -- day, all on or before the last day of data).
    select
        forecast_days.forecast_date,
        daily.client_type,
        daily.business_type,
        avg({{ dbt.safe_cast('daily.orders_count', dbt.type_float()) }}) as baseline_orders
    from forecast_days
    inner join daily
        on {{ dbt.datediff('daily.order_date', 'forecast_days.forecast_date', 'day') }} in (
            {%- for week in range(1, history_weeks + 1) -%}
            {{ 7 * week }}{{ ', ' if not loop.last else '' }}
            {%- endfor -%}
        )
    group by forecast_days.forecast_date, daily.client_type, daily.business_type

),

recent as (

    select
        daily.client_type,
        daily.business_type,
        sum(case when {{ dbt.datediff('daily.order_date', 'last_day.last_date', 'day') }} < 7
            then daily.orders_count else 0 end) as last_week_orders,
        sum(daily.orders_count) as history_orders
    from daily
    cross join last_day
    where {{ dbt.datediff('daily.order_date', 'last_day.last_date', 'day') }} < {{ 7 * history_weeks }}
    group by daily.client_type, daily.business_type

),

trend as (

    -- The last week against the mean week of the history window, kept within [0.5, 1.5] so that a
    -- promotion in the last week does not run away with the forecast.
    select
        client_type,
        business_type,
        case
            when history_orders = 0 then 1.0
            when {{ ratio('last_week_orders * ' ~ history_weeks, 'history_orders') }} < 0.5 then 0.5
            when {{ ratio('last_week_orders * ' ~ history_weeks, 'history_orders') }} > 1.5 then 1.5
            else {{ ratio('last_week_orders * ' ~ history_weeks, 'history_orders') }}
        end as trend_factor
    from recent

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
    round(trend.trend_factor, 4) as trend_factor,
    round(split.shift_share, 4) as shift_share,
    round(baseline.baseline_orders * trend.trend_factor * split.shift_share, 2) as forecast_orders,
    forecast_days.last_date as last_data_date
from baseline
inner join forecast_days
    on forecast_days.forecast_date = baseline.forecast_date
inner join trend
    on trend.client_type = baseline.client_type
    and trend.business_type = baseline.business_type
inner join {{ ref('int_pickup_shift_split') }} as split
    on split.client_type = baseline.client_type
    and split.business_type = baseline.business_type
