

select
    forecast_orders as value_field
from `dev_marts.mart_volume_forecast`
where forecast_orders is not null
  and (forecast_orders < 0 or forecast_orders > 1000000000)

