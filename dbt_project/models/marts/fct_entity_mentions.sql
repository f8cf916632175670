with

entity_mentions as (

    select * from {{ ref('stg_raw__entity_mentions') }}

),

final as (

    select
        entity_mention_id,
        document_id,
        entity_type,
        entity_id,
        country,
        surface,
        sentence_index,
        char_start,
        char_end,
        extractor_version

    from entity_mentions

)

select * from final
