with

source as (

    select * from {{ source('raw', 'sentences') }}

),

renamed as (

    select
        document_id,
        cast(sentence_index as integer) as sentence_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        sentence,
        extractor_version

    from source

)

select * from renamed
