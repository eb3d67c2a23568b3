
    
    



select shift
from `dev_marts.mart_volume_forecast`
where shift is null


