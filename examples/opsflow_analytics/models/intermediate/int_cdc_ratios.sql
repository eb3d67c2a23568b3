-- Arrival scans at the main cross-dock (var `cdc_station`, CDC-SP) per day and client type, and
-- the share that arrived in each shift: how the sorting work at the CDC spreads over the day.
-- Counted per shift first, then pivoted (each scan's time is read once).

with cdc_scans as (

    select scan_date, client_type, shift, count(*) as scans_count
    from {{ ref('stg_arrival_scans') }}
    where is_cdc = 1
    group by 1, 2, 3

)

select
    scan_date,
    client_type,
    sum(scans_count) as cdc_scans,
    {%- for shift in ['T1', 'T2', 'T3'] %}
    {{ ratio("sum(case when shift = '" ~ shift ~ "' then scans_count else 0 end)", 'sum(scans_count)') }}
        as ratio_shift_{{ shift | lower }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
from cdc_scans
group by scan_date, client_type
