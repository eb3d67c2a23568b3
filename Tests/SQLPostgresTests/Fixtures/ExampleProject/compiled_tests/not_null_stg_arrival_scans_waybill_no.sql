
    
    



select waybill_no
from `dev_staging.stg_arrival_scans`
where waybill_no is null


