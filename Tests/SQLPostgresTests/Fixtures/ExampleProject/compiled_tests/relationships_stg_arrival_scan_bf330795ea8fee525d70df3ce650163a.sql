
    
    

with child as (
    select waybill_no as from_field
    from `dev_staging.stg_arrival_scans`
    where waybill_no is not null
),

parent as (
    select distinct waybill_no as to_field
    from `dev_staging.stg_orders`
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


