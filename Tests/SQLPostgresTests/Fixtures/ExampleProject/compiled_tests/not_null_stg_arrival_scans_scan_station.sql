
    
    



select scan_station
from `dev_staging.stg_arrival_scans`
where scan_station is null


