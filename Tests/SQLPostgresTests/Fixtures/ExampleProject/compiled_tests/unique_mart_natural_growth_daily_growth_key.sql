
    
    

select
    growth_key as unique_field,
    count(*) as n_records

from `dev_marts.mart_natural_growth_daily`
where growth_key is not null
group by growth_key
having count(*) > 1


