-- Orders created per day, client type and business type, with the weekday. Every segment gets a
-- row on every day of data (0 when it had no orders) so that growth rates and forecasts compare
-- like with like.

with counts as (

    select
        created_date as order_date,
        client_type,
        business_type,
        count(*) as orders_count
    from `dev_staging.stg_orders`
    group by created_date, client_type, business_type

),

calendar as (

    select distinct order_date
    from counts

),

segments as (

    select distinct client_type, business_type
    from counts

)

select
    calendar.order_date,
    -- BigQuery's DAYOFWEEK is 1 = Sunday … 7 = Saturday; the column is 0 = Sunday … 6 = Saturday.
    extract(dayofweek from calendar.order_date) - 1 as weekday_number,
    format_date('%a', calendar.order_date) as weekday_name,
    segments.client_type,
    segments.business_type,
    coalesce(counts.orders_count, 0) as orders_count
from calendar
cross join segments
left join counts
    on counts.order_date = calendar.order_date
    and counts.client_type = segments.client_type
    and counts.business_type = segments.business_type