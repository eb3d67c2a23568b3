
    
    

select
    ratio_key as unique_field,
    count(*) as n_records

from `dev_marts.mart_operational_ratios`
where ratio_key is not null
group by ratio_key
having count(*) > 1


