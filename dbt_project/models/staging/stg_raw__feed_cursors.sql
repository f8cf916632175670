with

source as (

    select * from {{ source('raw', 'feed_cursors') }}

),

renamed as (

    select
        feed_url,
        etag,
        last_modified,
        cast(n_entries_seen as integer) as n_entries_seen,
        cast(last_status as integer) as last_status,
        cast(last_changed_at as timestamp) as last_changed_at

    from source

)

select * from renamed
