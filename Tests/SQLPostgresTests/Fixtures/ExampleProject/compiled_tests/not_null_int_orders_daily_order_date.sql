
    
    



select order_date
from `dev_intermediate.int_orders_daily`
where order_date is null


