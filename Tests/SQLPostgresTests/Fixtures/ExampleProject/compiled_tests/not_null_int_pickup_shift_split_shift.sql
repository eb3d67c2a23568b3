
    
    



select shift
from `dev_intermediate.int_pickup_shift_split`
where shift is null


