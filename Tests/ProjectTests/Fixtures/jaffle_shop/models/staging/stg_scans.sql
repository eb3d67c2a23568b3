select * from {{ source('raw_source', 'im_arrival_scan') }}
join {{ source('raw_source', 'im_global_collect_rate') }} using ("waybillNo")
