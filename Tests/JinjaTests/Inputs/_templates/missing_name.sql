{% macro only_this() %}x{% endmacro %}
