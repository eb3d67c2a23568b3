{#- The client and business-type rules of the operations team, shared by every staging model. -#}

{% macro client_type(client_name) -%}
    {#- Every `Client_A …` variant is Client_A; Client_B and Client_C stay; anyone else is a regional
        seller. substr, not LIKE: `_` is a LIKE wildcard and LIKE's case rules differ by warehouse. -#}
    case
        when substr({{ client_name }}, 1, 8) = 'Client_A' then 'Client_A'
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
