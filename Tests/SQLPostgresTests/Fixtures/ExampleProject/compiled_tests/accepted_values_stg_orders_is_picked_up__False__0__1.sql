
    
    

with all_values as (

    select
        is_picked_up as value_field,
        count(*) as n_records

    from `dev_staging.stg_orders`
    group by is_picked_up

)

select *
from all_values
where value_field not in (
    0,1
)


