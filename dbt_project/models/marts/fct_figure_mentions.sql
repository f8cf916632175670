with

figure_mentions as (

    select * from {{ ref('int_figure_mentions__usd') }}

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
        value_usd,
        value_high_usd,
        usd_per_unit,
        fx_year,
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
        published_at,
        extractor_version

    from figure_mentions

)

select * from final
