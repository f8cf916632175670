with

figure_mentions as (

    select * from {{ ref('stg_raw__figure_mentions') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

rule_confidence as (

    select * from {{ ref('int_rule_confidence') }}
    where row_kind = 'figure'

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

dated_figures as (

    select
        figure_mentions.*,
        rule_confidence.confidence,
        documents.published_at,
        -- The rate of the year the figure refers to, else of the year it was published.
        coalesce(
            figure_mentions.reference_year, year(documents.published_at)
        ) as rate_year

    from figure_mentions

    left join documents
        on figure_mentions.document_id = documents.document_id

    left join rule_confidence
        on figure_mentions.rule_id = rule_confidence.rule_id

),

-- Every rate of the figure's currency, nearest year first (the later year on a tie);
-- a figure of unknown year takes the latest rate.
rate_candidates as (

    select
        dated_figures.figure_id,
        fx_rates.year as fx_year,
        fx_rates.usd_per_unit,
        row_number() over (
            partition by dated_figures.figure_id
            order by
                abs(fx_rates.year - dated_figures.rate_year) asc nulls last,
                fx_rates.year desc
        ) as rate_rank

    from dated_figures

    inner join fx_rates
        on dated_figures.unit = fx_rates.currency

),

chosen_rates as (

    select
        figure_id,
        fx_year,
        usd_per_unit

    from rate_candidates
    where rate_rank = 1

),

rated_figures as (

    select
        dated_figures.*,
        -- A dollar is a dollar even when fx_rates lists no USD row; percentages have no rate.
        case
            when dated_figures.unit = 'USD' then 1.0
            when dated_figures.unit = 'percent' then null
            else chosen_rates.usd_per_unit
        end as usd_per_unit,
        case
            when dated_figures.unit = 'USD' then dated_figures.rate_year
            else chosen_rates.fx_year
        end as fx_year

    from dated_figures

    left join chosen_rates
        on dated_figures.figure_id = chosen_rates.figure_id

),

final as (

    select
        figure_id,
        document_id,
        sentence_index,
        metric,
        value,
        value_low,
        value_high,
        unit,
        scale,
        qualifier,
        countries,
        source_country,
        target_country,
        reference_year,
        period_start,
        period_end,
        modality,
        rule_id,
        confidence,
        n_mentions_in_document,
        evidence,
        char_start,
        char_end,
        extractor_version,
        published_at,
        rate_year,
        usd_per_unit,
        fx_year,
        -- NULL for percentages and for currencies without any rate.
        value * usd_per_unit as value_usd,
        value_high * usd_per_unit as value_high_usd

    from rated_figures

)

select * from final
