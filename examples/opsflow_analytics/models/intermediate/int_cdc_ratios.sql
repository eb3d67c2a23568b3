-- Arrival scans at the main cross-dock (var `cdc_station`, CDC-SP) per day and client type, and
-- the share that arrived in each shift: how the sorting work at the CDC spreads over the day.

select
    scan_date,
    client_type,
    count(*) as cdc_scans,
    {%- for shift in ['T1', 'T2', 'T3'] %}
    safe_divide(countif(shift = '{{ shift }}'), count(*)) as ratio_shift_{{ shift | lower }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
from {{ ref('stg_arrival_scans') }}
where is_cdc = 1
group by scan_date, client_type
