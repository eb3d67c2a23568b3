-- One row per real order (TEST orders dropped), with normalised client and business types and the
-- pickup timing the operational ratios need. createDate and pickupTime are TIMESTAMPs (UTC).

with source as (

    select * from `raw.im_global_collect_rate`

),

renamed as (

    select
        waybillNo as waybill_no,
        trim(clientName) as client_name,
        upper(trim(businessType)) as raw_business_type,
        createDate as created_at,
        pickupTime as picked_up_at
    from source
    where not (upper(trim(clientName)) = 'TEST')

),

classified as (

    select
        waybill_no,
        client_name,
        case
        when starts_with(client_name, 'Client_A') then 'Client_A'
        when client_name in ('Client_B', 'Client_C') then client_name
        else 'Regional_Sales'
    end as client_type,
        raw_business_type,
        created_at,
        picked_up_at
    from renamed

),

timed as (

    select
        waybill_no,
        client_name,
        client_type,
        raw_business_type,
        case
        when client_type = 'Regional_Sales' then 'D2D'
        when raw_business_type = 'CROSS BORDER' then 'CB'
        else raw_business_type
    end as business_type,
        created_at,
        date(created_at) as created_date,
        extract(hour from created_at) as created_hour,
        picked_up_at,
        date(picked_up_at) as pickup_date,
        extract(hour from picked_up_at) as pickup_hour,
        -- Calendar days between creation and pickup (0 = picked up the day it was created).
        date_diff(date(picked_up_at), date(created_at), day) as days_to_pickup
    from classified

)

select
    waybill_no,
    client_name,
    client_type,
    raw_business_type,
    business_type,
    created_at,
    created_date,
    created_hour,
    picked_up_at,
    pickup_date,
    pickup_hour,
    days_to_pickup,
    case
        when pickup_hour is null then null
        when pickup_hour between 6 and 13 then 'T1'
        when pickup_hour between 14 and 21 then 'T2'
        else 'T3'
    end as pickup_shift,
    if(picked_up_at is null, 0, 1) as is_picked_up
from timed