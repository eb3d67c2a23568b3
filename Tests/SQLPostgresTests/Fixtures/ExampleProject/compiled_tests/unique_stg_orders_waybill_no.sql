
    
    

select
    waybill_no as unique_field,
    count(*) as n_records

from `dev_staging.stg_orders`
where waybill_no is not null
group by waybill_no
having count(*) > 1


