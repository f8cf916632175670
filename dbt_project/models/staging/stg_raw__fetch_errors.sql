with

source as (

    select * from {{ source('raw', 'fetch_errors') }}

),

renamed as (

    select
        feed_url,
        url,
        stage,
        reason,
        cast(recorded_at as timestamp) as recorded_at

    from source

)

select * from renamed
