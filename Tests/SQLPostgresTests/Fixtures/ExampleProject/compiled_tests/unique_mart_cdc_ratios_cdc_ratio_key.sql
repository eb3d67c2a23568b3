
    
    

select
    cdc_ratio_key as unique_field,
    count(*) as n_records

from `dev_marts.mart_cdc_ratios`
where cdc_ratio_key is not null
group by cdc_ratio_key
having count(*) > 1


