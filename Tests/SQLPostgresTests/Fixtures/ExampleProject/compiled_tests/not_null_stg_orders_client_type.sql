
    
    



select client_type
from `dev_staging.stg_orders`
where client_type is null


