
    
    

with all_values as (

    select
        shift as value_field,
        count(*) as n_records

    from `dev_staging.stg_arrival_scans`
    group by shift

)

select *
from all_values
where value_field not in (
    'T1','T2','T3'
)


