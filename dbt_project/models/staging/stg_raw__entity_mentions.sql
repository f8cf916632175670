with

source as (

    select * from {{ source('raw', 'entity_mentions') }}

),

renamed as (

    select
        -- Surrogate key: one entity recognised at one span of one document.
        {{ stable_key([
            'document_id',
            'char_start',
            'char_end',
            'entity_type',
            'entity_id',
        ]) }} as entity_mention_id,
        document_id,
        cast(sentence_index as integer) as sentence_index,
        lower(trim(entity_type)) as entity_type,
        entity_id,
        upper(nullif(trim(country), '')) as country,
        surface,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        extractor_version

    from source

)

select * from renamed
