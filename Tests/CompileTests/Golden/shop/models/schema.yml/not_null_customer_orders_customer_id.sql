
    
    



select customer_id
from (select * from "shop"."main"."customer_orders" where customer_id > 0) dbt_subquery
where customer_id is null


