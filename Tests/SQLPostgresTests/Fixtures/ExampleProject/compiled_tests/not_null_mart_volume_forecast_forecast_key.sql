
    
    



select forecast_key
from `dev_marts.mart_volume_forecast`
where forecast_key is null


