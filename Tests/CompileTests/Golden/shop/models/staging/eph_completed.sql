
select * from "shop"."main_staging"."stg_orders" where status = 'completed'