
    
    



select pickup_date
from `dev_intermediate.int_operational_ratios`
where pickup_date is null


