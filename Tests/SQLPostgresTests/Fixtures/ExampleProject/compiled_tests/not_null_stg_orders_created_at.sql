
    
    



select created_at
from `dev_staging.stg_orders`
where created_at is null


