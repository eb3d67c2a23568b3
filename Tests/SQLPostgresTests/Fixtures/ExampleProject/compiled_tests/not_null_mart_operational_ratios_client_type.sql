
    
    



select client_type
from `dev_marts.mart_operational_ratios`
where client_type is null


