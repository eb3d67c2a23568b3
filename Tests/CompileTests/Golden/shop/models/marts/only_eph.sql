with __dbt__cte__eph_completed as (

select * from "shop"."main_staging"."stg_orders" where status = 'completed'
) select count(*) as n from __dbt__cte__eph_completed