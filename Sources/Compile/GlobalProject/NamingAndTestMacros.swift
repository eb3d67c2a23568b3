// The global project's naming macros and built-in generic data tests, with the behaviour of
// dbt-adapters' `include/global_project/macros/get_custom_name/*.sql`,
// `macros/generic_test_sql/*.sql`, `macros/materializations/tests/where_subquery.sql` and
// `tests/generic/builtin.sql`.

/// Jinja source of `generate_schema_name`, `generate_alias_name`, `generate_database_name` and
/// their `default__` forms.
///
/// A project overrides them by defining a macro of the same name in its `macros/` folder
/// (dbt's rule: the root project's macro wins over the global project's).
/// The default schema rule: no custom schema → `target.schema`; custom schema `s` →
/// `target.schema ~ "_" ~ s`. The rendered text is trimmed by the caller, as dbt does.
package let namingMacrosSource: String = #"""
{% macro generate_schema_name(custom_schema_name=none, node=none) -%}
    {{ return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) }}
{%- endmacro %}

{% macro default__generate_schema_name(custom_schema_name, node) -%}

    {%- set default_schema = target.schema -%}
    {%- if custom_schema_name is none -%}

        {{ default_schema }}

    {%- else -%}

        {{ default_schema }}_{{ custom_schema_name | trim }}

    {%- endif -%}

{%- endmacro %}

{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {% do return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) %}
{%- endmacro %}

{% macro default__generate_alias_name(custom_alias_name=none, node=none) -%}

    {%- if custom_alias_name -%}

        {{ custom_alias_name | trim }}

    {%- elif node.version -%}

        {{ return(node.name ~ "_v" ~ (node.version | replace(".", "_"))) }}

    {%- else -%}

        {{ node.name }}

    {%- endif -%}

{%- endmacro %}

{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {% do return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) %}
{%- endmacro %}

{% macro default__generate_database_name(custom_database_name=none, node=none) -%}
    {%- set default_database = target.database -%}
    {%- if custom_database_name is none -%}

        {{ default_database }}

    {%- else -%}

        {{ custom_database_name }}

    {%- endif -%}

{%- endmacro %}
"""#

/// Jinja source of the built-in generic data tests (`unique`, `not_null`, `accepted_values`,
/// `relationships`), their `default__test_…` SQL, and `get_where_subquery`.
///
/// A generic test node renders `{{ test_<name>(**kwargs) }}` with `model` bound to
/// `get_where_subquery(<the tested relation>)` (so a `where:` config filters the rows) and
/// `column_name` to the tested column. The query returns the failing rows; the test runner
/// wraps it in `select count(*) … ` and compares with `warn_if`/`error_if` (default `!= 0`).
/// `{% test name(…) %}` is the `test` block tag: it defines the macro `test_name`.
package let genericTestMacrosSource: String = #"""
{% test unique(model, column_name) %}
    {% set macro = adapter.dispatch('test_unique', 'dbt') %}
    {{ macro(model, column_name) }}
{% endtest %}

{% test not_null(model, column_name) %}
    {% set macro = adapter.dispatch('test_not_null', 'dbt') %}
    {{ macro(model, column_name) }}
{% endtest %}

{% test accepted_values(model, column_name, values, quote=True) %}
    {% set macro = adapter.dispatch('test_accepted_values', 'dbt') %}
    {{ macro(model, column_name, values, quote) }}
{% endtest %}

{% test relationships(model, column_name, to, field) %}
    {% set macro = adapter.dispatch('test_relationships', 'dbt') %}
    {{ macro(model, column_name, to, field) }}
{% endtest %}

{% macro default__test_unique(model, column_name) %}

select
    {{ column_name }} as unique_field,
    count(*) as n_records

from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1

{% endmacro %}

{% macro default__test_not_null(model, column_name) %}

{% set column_list = '*' if should_store_failures() else column_name %}

select {{ column_list }}
from {{ model }}
where {{ column_name }} is null

{% endmacro %}

{% macro default__test_accepted_values(model, column_name, values, quote=True) %}

with all_values as (

    select
        {{ column_name }} as value_field,
        count(*) as n_records

    from {{ model }}
    group by {{ column_name }}

)

select *
from all_values
where value_field not in (
    {% for value in values -%}
        {% if quote -%}
        '{{ value }}'
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)

{% endmacro %}

{% macro default__test_relationships(model, column_name, to, field) %}

with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as (
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

{% macro get_where_subquery(relation) -%}
    {% do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) %}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {% set where = config.get('where', '') %}
    {% if where %}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}
"""#

/// Every global-project macro source with the file name dbt gives it, in load order.
/// Each is loaded into the `dbt` macro namespace.
package let globalProjectMacroSources: [(path: String, source: String)] = [
    ("macros/utils/cross_database_macros.sql", crossDatabaseMacrosSource),
    ("macros/get_custom_name/naming.sql", namingMacrosSource),
    ("macros/generic_test_sql/generic_tests.sql", genericTestMacrosSource),
]
