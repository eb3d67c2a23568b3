
    
    



select business_type
from `dev_marts.mart_volume_forecast`
where business_type is null


