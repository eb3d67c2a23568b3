
    
    



select shift_share
from `dev_intermediate.int_pickup_shift_split`
where shift_share is null


