-- Every split of a day's volume must add up to 1 (± 0.01): the creation-day shares and the
-- shift shares of mart_operational_ratios, and the shift shares of mart_cdc_ratios.
-- Returns the offending rows; none means the test passes.

with operational as (

    select
        'operational' as ratio_set,
        ratio_key as group_key,
        ratio_created_t +
        ratio_created_t_minus_1 +
        ratio_created_t_minus_2 +
        ratio_created_t_minus_3 +
        ratio_created_t_minus_4 +
        ratio_created_others as creation_ratio_sum,
        ratio_shift_t1 + ratio_shift_t2 + ratio_shift_t3 as shift_ratio_sum
    from `dev_marts.mart_operational_ratios`

),

cdc as (

    select
        'cdc' as ratio_set,
        cdc_ratio_key as group_key,
        1.0 as creation_ratio_sum,
        ratio_shift_t1 + ratio_shift_t2 + ratio_shift_t3 as shift_ratio_sum
    from `dev_marts.mart_cdc_ratios`

),

all_ratios as (
    select * from operational
    union all
    select * from cdc
)

select *
from all_ratios
where creation_ratio_sum is null
   or shift_ratio_sum is null
   or abs(creation_ratio_sum - 1) > 0.01
   or abs(shift_ratio_sum - 1) > 0.01