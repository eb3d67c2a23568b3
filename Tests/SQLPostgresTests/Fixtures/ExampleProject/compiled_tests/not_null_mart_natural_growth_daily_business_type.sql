
    
    



select business_type
from `dev_marts.mart_natural_growth_daily`
where business_type is null


