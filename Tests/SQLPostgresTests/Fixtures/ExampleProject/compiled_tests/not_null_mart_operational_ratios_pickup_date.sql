
    
    



select pickup_date
from `dev_marts.mart_operational_ratios`
where pickup_date is null


