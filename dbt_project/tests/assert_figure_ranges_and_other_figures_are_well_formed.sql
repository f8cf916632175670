-- A range keeps both bounds, lower first, and `value` is the lower one; a single value has
-- neither. A figure no economic term governs ('other') carries no countries.
with

figure_mentions as (

    select * from {{ ref('fct_figure_mentions') }}

),

final as (

    select
        figure_id,
        metric,
        value,
        value_low,
        value_high,
        countries

    from figure_mentions
    where
        (value_low is null) <> (value_high is null)
        or value_high < value_low
        or value <> value_low
        or (metric = 'other' and len(countries) > 0)

)

select * from final
