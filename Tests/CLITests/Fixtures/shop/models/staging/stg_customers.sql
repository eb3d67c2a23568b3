{{ config(tags=['staging']) }}
select customer_code, name, signup_date, is_active
from {{ ref('raw_customers') }}
