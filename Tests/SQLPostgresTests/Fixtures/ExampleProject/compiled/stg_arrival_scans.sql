-- One row per arrival scan of a real order (TEST scans dropped), with its date, hour and shift.
-- scanDate is a TIMESTAMP (UTC).

with source as (

    select * from `raw.im_arrival_scan`

),

renamed as (

    select
        waybillNo as waybill_no,
        trim(scanStation) as scan_station,
        trim(clientName) as client_name,
        scanDate as scanned_at
    from source
    where not (upper(trim(clientName)) = 'TEST')

),

timed as (

    select
        waybill_no,
        scan_station,
        client_name,
        case
        when starts_with(client_name, 'Client_A') then 'Client_A'
        when client_name in ('Client_B', 'Client_C') then client_name
        else 'Regional_Sales'
    end as client_type,
        scanned_at,
        date(scanned_at) as scan_date,
        extract(hour from scanned_at) as scan_hour
    from renamed

)

select
    concat(waybill_no, '|', scan_station, '|', format_timestamp('%F %T', scanned_at)) as scan_id,
    waybill_no,
    scan_station,
    if(scan_station = 'CDC-SP', 1, 0) as is_cdc,
    client_name,
    client_type,
    scanned_at,
    scan_date,
    scan_hour,
    case
        when scan_hour is null then null
        when scan_hour between 6 and 13 then 'T1'
        when scan_hour between 14 and 21 then 'T2'
        else 'T3'
    end as shift
from timed