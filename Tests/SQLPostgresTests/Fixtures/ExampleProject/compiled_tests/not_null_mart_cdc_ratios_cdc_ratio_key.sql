
    
    



select cdc_ratio_key
from `dev_marts.mart_cdc_ratios`
where cdc_ratio_key is null


