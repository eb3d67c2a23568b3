
    
    



select waybill_no
from `dev_staging.stg_orders`
where waybill_no is null


