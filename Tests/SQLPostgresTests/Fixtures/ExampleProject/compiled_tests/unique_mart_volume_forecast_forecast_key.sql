
    
    

select
    forecast_key as unique_field,
    count(*) as n_records

from `dev_marts.mart_volume_forecast`
where forecast_key is not null
group by forecast_key
having count(*) > 1


