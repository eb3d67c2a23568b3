
    
    

with all_values as (

    select
        business_type as value_field,
        count(*) as n_records

    from `dev_marts.mart_volume_forecast`
    group by business_type

)

select *
from all_values
where value_field not in (
    'D2D','W2D','FM','CB'
)


