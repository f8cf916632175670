with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        source_name,
        cast(source_line as integer) as source_line,
        nullif(trim(title), '') as title,
        nullif(trim(url), '') as url,
        nullif(trim(outlet), '') as outlet,
        lower(nullif(trim(language), '')) as language,
        cast(published_at as date) as published_at,
        published_at_source,
        raw_text,
        body,
        cast(char_count as integer) as char_count,
        cast(ingested_at as timestamp) as ingested_at,
        extractor_version

    from source

)

select * from renamed
