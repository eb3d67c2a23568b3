{#- The client, business-type and shift rules of the operations team, shared by the staging models. -#}

{% macro client_type(client_name) -%}
    {#- Every `Client_A …` variant is Client_A; Client_B and Client_C stay; anyone else is a regional
        seller. STARTS_WITH, not LIKE: `_` is a LIKE wildcard. -#}
    case
        when starts_with({{ client_name }}, 'Client_A') then 'Client_A'
        when {{ client_name }} in ('Client_B', 'Client_C') then {{ client_name }}
        else 'Regional_Sales'
    end
{%- endmacro %}

{% macro business_type(client_type, raw_business_type) -%}
    {#- Regional sellers only do door-to-door: their W2D/FM/CROSS BORDER orders count as D2D.
        CROSS BORDER is abbreviated CB. -#}
    case
        when {{ client_type }} = 'Regional_Sales' then 'D2D'
        when {{ raw_business_type }} = 'CROSS BORDER' then 'CB'
        else {{ raw_business_type }}
    end
{%- endmacro %}

{% macro is_test_client(client_name) -%}
    upper(trim({{ client_name }})) = 'TEST'
{%- endmacro %}

{% macro shift_of(hour_expression) -%}
    {#- The three sorting shifts: T1 = 06–13 h, T2 = 14–21 h, T3 = 22–05 h. -#}
    case
        when {{ hour_expression }} is null then null
        when {{ hour_expression }} between 6 and 13 then 'T1'
        when {{ hour_expression }} between 14 and 21 then 'T2'
        else 'T3'
    end
{%- endmacro %}
