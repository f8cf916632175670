with

source as (

    select * from {{ source('raw', 'document_sources') }}

),

renamed as (

    select
        source_name,
        cast(source_line as integer) as source_line,
        document_id,
        cast(recorded_at as timestamp) as recorded_at

    from source

)

select * from renamed
