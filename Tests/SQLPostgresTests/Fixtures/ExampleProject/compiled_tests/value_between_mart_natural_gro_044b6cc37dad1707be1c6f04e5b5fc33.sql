

select
    day_over_day_growth as value_field
from `dev_marts.mart_natural_growth_daily`
where day_over_day_growth is not null
  and (day_over_day_growth < 0 or day_over_day_growth > 5)

