
    
    



select client_type
from `dev_marts.mart_natural_growth_daily`
where client_type is null


