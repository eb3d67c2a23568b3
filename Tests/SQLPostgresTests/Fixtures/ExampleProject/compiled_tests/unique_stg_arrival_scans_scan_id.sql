
    
    

select
    scan_id as unique_field,
    count(*) as n_records

from `dev_staging.stg_arrival_scans`
where scan_id is not null
group by scan_id
having count(*) > 1


