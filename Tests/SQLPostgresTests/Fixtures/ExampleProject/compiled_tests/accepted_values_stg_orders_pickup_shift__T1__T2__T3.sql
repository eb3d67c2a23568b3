
    
    

with all_values as (

    select
        pickup_shift as value_field,
        count(*) as n_records

    from `dev_staging.stg_orders`
    group by pickup_shift

)

select *
from all_values
where value_field not in (
    'T1','T2','T3'
)


