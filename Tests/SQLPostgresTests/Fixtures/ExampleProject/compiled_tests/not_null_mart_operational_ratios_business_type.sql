
    
    



select business_type
from `dev_marts.mart_operational_ratios`
where business_type is null


