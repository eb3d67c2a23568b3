{#- dbt's relationships test in plain BigQuery SQL. The embedded warehouse's built-in form for SQLite
    (`sqlite__test_relationships`) writes the SQLite-only `as materialized`, which BigQuery SQL cannot
    say; this project macro takes its place in `adapter.dispatch` (the project's macros come first).
    The parent's values are DISTINCT so that the warehouse evaluates the parent (often a view) once
    instead of once per child row; the rows returned are the same as dbt's test. -#}

{% macro sqlite__test_relationships(model, column_name, to, field) %}

with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as (
    select distinct {{ field }} as to_field
    from {{ to }}
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null

{% endmacro %}
