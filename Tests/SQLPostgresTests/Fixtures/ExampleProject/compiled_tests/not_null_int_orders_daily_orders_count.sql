
    
    



select orders_count
from `dev_intermediate.int_orders_daily`
where orders_count is null


