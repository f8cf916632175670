-- A mention and its canonical event share type and participants, and a dated mention
-- shares the event's start date.
with

event_mentions as (

    select * from {{ ref('fct_event_mentions') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

final as (

    select
        event_mentions.mention_id,
        event_mentions.event_id

    from event_mentions

    inner join events
        on event_mentions.event_id = events.event_id

    where
        event_mentions.event_type != events.event_type
        or coalesce(event_mentions.participant_countries, [])
        != coalesce(events.participant_countries, [])
        or event_mentions.start_date != events.start_date
        or (event_mentions.start_date is not null and events.start_date is null)

)

select * from final
