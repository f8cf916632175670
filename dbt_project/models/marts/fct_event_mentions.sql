with

resolved_mentions as (

    select * from {{ ref('int_event_mentions__resolved') }}

),

final as (

    select
        mention_id,
        event_id,
        document_id,
        sentence_index,
        event_type,
        participant_countries,
        host_country,
        visit_level,
        documents_signed,
        organisation_id,
        start_date,
        end_date,
        date_precision,
        modality,
        is_occurred,
        cameo_code,
        rule_id,
        confidence,
        extractor_version,
        evidence,
        char_start,
        char_end,
        published_at

    from resolved_mentions

)

select * from final
