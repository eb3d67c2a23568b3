-- Shift split of the arrival scans at the main cross-dock (grain: scan_date × client_type, key
-- cdc_ratio_key).

select
    concat(cast(scan_date as string), '|', client_type) as cdc_ratio_key,
    scan_date,
    client_type,
    cdc_scans,
    ratio_shift_t1,
    ratio_shift_t2,
    ratio_shift_t3
from `dev_intermediate.int_cdc_ratios`