
    
    



select scan_id
from `dev_staging.stg_arrival_scans`
where scan_id is null


