
    
    



select client_type
from `dev_marts.mart_volume_forecast`
where client_type is null


