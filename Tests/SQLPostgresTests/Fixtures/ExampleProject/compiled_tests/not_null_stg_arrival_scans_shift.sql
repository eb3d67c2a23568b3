
    
    



select shift
from `dev_staging.stg_arrival_scans`
where shift is null


