
    
    



select ratio_key
from `dev_marts.mart_operational_ratios`
where ratio_key is null


