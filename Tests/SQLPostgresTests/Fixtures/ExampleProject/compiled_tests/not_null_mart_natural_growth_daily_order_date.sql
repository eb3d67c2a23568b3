
    
    



select order_date
from `dev_marts.mart_natural_growth_daily`
where order_date is null


