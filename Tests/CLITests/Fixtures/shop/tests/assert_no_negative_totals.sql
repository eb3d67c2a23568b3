select * from {{ ref('customer_totals') }} where shipped_amount < 0
