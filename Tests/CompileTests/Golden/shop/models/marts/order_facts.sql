
select order_id, customer_id, order_date, amount, 'order_facts' as built_by
from "shop"."main_staging"."stg_orders"
