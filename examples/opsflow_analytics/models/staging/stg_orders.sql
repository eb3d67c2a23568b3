-- One row per real order (TEST orders dropped), with normalised client and business types and the
-- pickup timing the operational ratios need. createDate and pickupTime are TIMESTAMPs (UTC).

with source as (

    select * from {{ source('raw_source', 'im_global_collect_rate') }}

),

renamed as (

    select
        waybillNo as waybill_no,
        trim(clientName) as client_name,
        upper(trim(businessType)) as raw_business_type,
        createDate as created_at,
        pickupTime as picked_up_at
    from source
    where not ({{ is_test_client('clientName') }})

),

classified as (

    select
        waybill_no,
        client_name,
        {{ client_type('client_name') }} as client_type,
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
        {{ business_type('client_type', 'raw_business_type') }} as business_type,
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
    {{ shift_of('pickup_hour') }} as pickup_shift,
    if(picked_up_at is null, 0, 1) as is_picked_up
from timed
