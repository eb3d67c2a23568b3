
    
    



select orders_count
from `dev_marts.mart_natural_growth_daily`
where orders_count is null


