{#
    Fails for every non-NULL value of `column_name` that does not match the whole of
    `pattern` (a regular expression), e.g. ISO country codes against '[A-Z]{2}'.
#}
{% test matches_pattern(model, column_name, pattern) %}

select {{ column_name }}
from {{ model }}
where
    {{ column_name }} is not null
    and not regexp_full_match({{ column_name }}, '{{ pattern }}')

{% endtest %}
