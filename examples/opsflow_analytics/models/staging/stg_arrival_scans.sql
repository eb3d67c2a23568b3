-- One row per arrival scan of a real order (TEST scans dropped), with its date, hour and shift.

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
        {{ hour_of('scanned_at') }} as scan_hour
    from renamed

)

select
    {{ dbt.concat(["waybill_no", "'|'", "scan_station", "'|'", "scanned_at"]) }} as scan_id,
    waybill_no,
    scan_station,
    case when scan_station = '{{ var("cdc_station") }}' then 1 else 0 end as is_cdc,
    client_name,
    client_type,
    scanned_at,
    scan_date,
    scan_hour,
    {{ shift_of('scan_hour') }} as shift
from timed
