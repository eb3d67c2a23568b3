
    
    



select forecast_date
from `dev_marts.mart_volume_forecast`
where forecast_date is null


