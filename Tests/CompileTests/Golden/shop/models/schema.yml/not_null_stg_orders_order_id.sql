
    
    



select order_id
from "shop"."main_staging"."stg_orders"
where order_id is null


