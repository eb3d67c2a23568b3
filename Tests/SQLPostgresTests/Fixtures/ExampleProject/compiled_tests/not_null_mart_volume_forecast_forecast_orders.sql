
    
    



select forecast_orders
from `dev_marts.mart_volume_forecast`
where forecast_orders is null


