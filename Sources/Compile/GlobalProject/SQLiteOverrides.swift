/// SQLite forms of global-project macros whose default SQL is correct but quadratic on SQLite.
///
/// SQLite inlines a CTE that reads a view into the join, so dbt's left join from child to
/// parent re-evaluates the parent view for every child row. `as materialized` (SQLite ≥ 3.35)
/// evaluates it once and lets the planner index it; the result is the same rows.
package let sqliteOverrideMacrosSource: String = #"""
{% macro sqlite__test_relationships(model, column_name, to, field) %}

with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as materialized (
    select {{ field }} as to_field
    from {{ to }}
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null

{% endmacro %}
"""#
