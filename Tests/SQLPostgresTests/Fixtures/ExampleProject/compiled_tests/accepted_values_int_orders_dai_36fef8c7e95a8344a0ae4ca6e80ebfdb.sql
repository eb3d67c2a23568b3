
    
    

with all_values as (

    select
        weekday_name as value_field,
        count(*) as n_records

    from `dev_intermediate.int_orders_daily`
    group by weekday_name

)

select *
from all_values
where value_field not in (
    'Sun','Mon','Tue','Wed','Thu','Fri','Sat'
)


