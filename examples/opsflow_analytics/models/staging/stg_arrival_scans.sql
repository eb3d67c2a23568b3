-- One row per arrival scan of a real order (TEST scans dropped), with its date, hour and shift.
-- scanDate is a TIMESTAMP (UTC).

with source as (

    select * from {{ source('raw_source', 'im_arrival_scan') }}

),

renamed as (

    select
        waybillNo as waybill_no,
        trim(scanStation) as scan_station,
        trim(clientName) as client_name,
        scanDate as scanned_at
    from source
    where not ({{ is_test_client('clientName') }})

),

timed as (

    select
        waybill_no,
        scan_station,
        client_name,
        {{ client_type('client_name') }} as client_type,
        scanned_at,
        date(scanned_at) as scan_date,
        extract(hour from scanned_at) as scan_hour
    from renamed

)

select
    concat(waybill_no, '|', scan_station, '|', format_timestamp('%F %T', scanned_at)) as scan_id,
    waybill_no,
    scan_station,
    if(scan_station = '{{ var("cdc_station") }}', 1, 0) as is_cdc,
    client_name,
    client_type,
    scanned_at,
    scan_date,
    scan_hour,
    {{ shift_of('scan_hour') }} as shift
from timed
