
    
    



select client_type
from `dev_staging.stg_arrival_scans`
where client_type is null


