select count(*) as n from {{ ref('eph_completed') }}
