with

source as (

    select * from {{ source('raw', 'ingest_errors') }}

),

renamed as (

    select
        source_name,
        cast(source_line as integer) as source_line,
        reason,
        cast(recorded_at as timestamp) as recorded_at

    from source

)

select * from renamed
