with

events as (

    select * from {{ ref('fct_events') }}

),

participants as (

    select
        event_id,
        event_type,
        host_country,
        unnest(participant_countries) as country

    from events

),

final as (

    select
        event_id,
        country,
        case
            when country = host_country then 'host'
            when event_type = 'visit' then 'guest'
            else 'participant'
        end as role

    from participants
    where country is not null

)

select * from final
