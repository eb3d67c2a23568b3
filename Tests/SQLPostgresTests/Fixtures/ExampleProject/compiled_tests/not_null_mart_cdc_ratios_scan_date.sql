
    
    



select scan_date
from `dev_marts.mart_cdc_ratios`
where scan_date is null


