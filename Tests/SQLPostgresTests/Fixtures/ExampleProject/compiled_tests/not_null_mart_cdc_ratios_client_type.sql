
    
    



select client_type
from `dev_marts.mart_cdc_ratios`
where client_type is null


