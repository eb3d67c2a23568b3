

select
    shift_share as value_field
from `dev_intermediate.int_pickup_shift_split`
where shift_share is not null
  and (shift_share < 0 or shift_share > 1)

