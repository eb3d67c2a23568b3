
    
    



select created_date
from `dev_staging.stg_orders`
where created_date is null


