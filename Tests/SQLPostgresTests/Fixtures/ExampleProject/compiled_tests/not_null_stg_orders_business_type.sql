
    
    



select business_type
from `dev_staging.stg_orders`
where business_type is null


