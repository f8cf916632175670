with

source as (

    select * from {{ source('raw', 'source_files') }}

),

renamed as (

    select
        source_name,
        cast(size_bytes as bigint) as size_bytes,
        fingerprint,
        cast(ingested_at as timestamp) as ingested_at,
        cast(n_documents as integer) as n_documents,
        cast(n_errors as integer) as n_errors

    from source

)

select * from renamed
