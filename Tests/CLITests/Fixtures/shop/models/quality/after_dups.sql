select id from {{ ref('dup_ids') }}
