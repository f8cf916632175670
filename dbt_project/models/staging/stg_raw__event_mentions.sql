with

source as (

    select * from {{ source('raw', 'event_mentions') }}

),

renamed as (

    select
        mention_id,
        document_id,
        cast(sentence_index as integer) as sentence_index,
        lower(trim(event_type)) as event_type,
        -- The contract promises distinct, sorted codes whatever the extractor emitted.
        list_sort(list_distinct(participant_countries)) as participant_countries,
        upper(nullif(trim(host_country), '')) as host_country,
        lower(nullif(trim(visit_level), '')) as visit_level,
        cast(documents_signed as integer) as documents_signed,
        nullif(trim(organisation_id), '') as organisation_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        lower(nullif(trim(date_precision), '')) as date_precision,
        lower(nullif(trim(modality), '')) as modality,
        nullif(trim(cameo_code), '') as cameo_code,
        nullif(trim(rule_id), '') as rule_id,
        cast(confidence as double) as confidence,
        evidence,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        extractor_version

    from source

)

select * from renamed
