

select
    week_over_week_growth as value_field
from `dev_marts.mart_natural_growth_daily`
where week_over_week_growth is not null
  and (week_over_week_growth < 0 or week_over_week_growth > 5)

