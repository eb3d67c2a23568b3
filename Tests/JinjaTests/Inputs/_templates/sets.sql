{%- set inner_var = 'from include' -%}
[{{ outer_var | default('no outer') }}]
