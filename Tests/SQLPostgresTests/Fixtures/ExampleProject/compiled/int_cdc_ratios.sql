-- Arrival scans at the main cross-dock (var `cdc_station`, CDC-SP) per day and client type, and
-- the share that arrived in each shift: how the sorting work at the CDC spreads over the day.

select
    scan_date,
    client_type,
    count(*) as cdc_scans,
    safe_divide(countif(shift = 'T1'), count(*)) as ratio_shift_t1,
    safe_divide(countif(shift = 'T2'), count(*)) as ratio_shift_t2,
    safe_divide(countif(shift = 'T3'), count(*)) as ratio_shift_t3
from `dev_staging.stg_arrival_scans`
where is_cdc = 1
group by scan_date, client_type