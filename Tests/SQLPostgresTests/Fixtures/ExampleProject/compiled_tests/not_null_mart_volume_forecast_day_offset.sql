
    
    



select day_offset
from `dev_marts.mart_volume_forecast`
where day_offset is null


