
    
    

with child as (
    select client_type as from_field
    from `dev_marts.mart_volume_forecast`
    where client_type is not null
),

parent as (
    select distinct client_type as to_field
    from `dev_intermediate.int_orders_daily`
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


