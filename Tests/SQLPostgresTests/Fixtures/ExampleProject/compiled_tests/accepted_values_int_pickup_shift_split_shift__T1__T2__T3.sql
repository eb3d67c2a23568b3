
    
    

with all_values as (

    select
        shift as value_field,
        count(*) as n_records

    from `dev_intermediate.int_pickup_shift_split`
    group by shift

)

select *
from all_values
where value_field not in (
    'T1','T2','T3'
)


