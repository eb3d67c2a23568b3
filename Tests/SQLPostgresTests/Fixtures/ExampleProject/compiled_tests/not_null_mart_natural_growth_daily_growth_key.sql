
    
    



select growth_key
from `dev_marts.mart_natural_growth_daily`
where growth_key is null


