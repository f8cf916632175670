with

figure_mentions as (

    select * from {{ ref('fct_figure_mentions') }}
    -- Only figures an economic term names: 'other' (prices, budgets, company results …) is no
    -- investment, trade, loan or deal figure.
    where metric <> 'other'

),

keyed_figures as (

    select
        *,
        -- Countries are distinct and sorted, so the first two form the sorted pair; a
        -- figure about three or more countries is kept apart by its full country set.
        countries[1] as country_a,
        countries[2] as country_b,
        {{ stable_key([
            "array_to_string(countries, ',')",
            'source_country',
            'target_country',
            'metric',
            'reference_year',
            'unit',
        ]) }} as figure_group_id

    from figure_mentions

),

ranked_figures as (

    select
        *,
        row_number() over (
            partition by figure_group_id
            order by
                published_at desc nulls last,
                char_start desc nulls last,
                figure_id desc
        ) as recency_rank

    from keyed_figures

),

latest_figures as (

    select * from ranked_figures
    where recency_rank = 1

),

figure_ranges as (

    select
        figure_group_id,
        min(value) as min_value,
        max(value) as max_value,
        min(value_usd) as min_value_usd,
        max(value_usd) as max_value_usd,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        min(published_at) as first_reported_at,
        max(published_at) as last_reported_at

    from keyed_figures
    group by figure_group_id

),

final as (

    select
        latest_figures.figure_group_id,
        latest_figures.country_a,
        latest_figures.country_b,
        latest_figures.countries,
        latest_figures.source_country,
        latest_figures.target_country,
        latest_figures.metric,
        latest_figures.reference_year,
        latest_figures.unit,
        latest_figures.value as latest_value,
        latest_figures.value_usd as latest_value_usd,
        latest_figures.qualifier as latest_qualifier,
        latest_figures.figure_id as latest_figure_id,
        latest_figures.document_id as latest_document_id,
        figure_ranges.min_value,
        figure_ranges.max_value,
        figure_ranges.min_value_usd,
        figure_ranges.max_value_usd,
        figure_ranges.n_mentions,
        figure_ranges.n_documents,
        figure_ranges.first_reported_at,
        figure_ranges.last_reported_at

    from latest_figures

    inner join figure_ranges
        on latest_figures.figure_group_id = figure_ranges.figure_group_id

)

select * from final
