
    
    

with all_values as (

    select
        client_type as value_field,
        count(*) as n_records

    from `dev_staging.stg_orders`
    group by client_type

)

select *
from all_values
where value_field not in (
    'Client_A','Client_B','Client_C','Regional_Sales'
)


