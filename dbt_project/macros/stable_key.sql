{#
    The project's one key scheme (orchestration/keys.py): md5 hex of the fields as text,
    NULL as '', joined by chr(31). Pass SQL expressions; lists must be joined with ','
    first (array_to_string(list, ',')).
#}
{% macro stable_key(fields) -%}
md5(concat_ws(chr(31){% for field in fields %}, coalesce(cast({{ field }} as varchar), ''){% endfor %}))
{%- endmacro %}
