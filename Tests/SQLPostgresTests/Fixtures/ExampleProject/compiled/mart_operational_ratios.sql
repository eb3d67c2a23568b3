-- Operational ratios per pickup date, client type and business type (grain: pickup_date ×
-- client_type × business_type, key ratio_key).

select
    concat(cast(pickup_date as string), '|', client_type, '|', business_type) as ratio_key,
    pickup_date,
    client_type,
    business_type,
    picked_up_orders,
    ratio_created_t,
    ratio_created_t_minus_1,
    ratio_created_t_minus_2,
    ratio_created_t_minus_3,
    ratio_created_t_minus_4,
    ratio_created_others,
    ratio_shift_t1,
    ratio_shift_t2,
    ratio_shift_t3
from `dev_intermediate.int_operational_ratios`