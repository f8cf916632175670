with

countries as (

    select * from {{ ref('countries') }}

),

event_participants as (

    select * from {{ ref('event_participants') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

participation as (

    select
        event_participants.country,
        count(distinct event_participants.event_id) as n_events,
        count(
            distinct case
                when event_participants.role = 'host' then event_participants.event_id
            end
        ) as n_events_hosted,
        min(events.start_date) as first_event_date,
        max(events.start_date) as last_event_date

    from event_participants

    inner join events
        on event_participants.event_id = events.event_id

    group by event_participants.country

),

final as (

    select
        countries.country_code,
        countries.name_en,
        countries.name_ru,
        countries.region,
        coalesce(countries.is_focus, false) as is_focus,
        countries.capital_en,
        countries.capital_ru,
        coalesce(participation.n_events, 0) as n_events,
        coalesce(participation.n_events_hosted, 0) as n_events_hosted,
        participation.first_event_date,
        participation.last_event_date

    from countries

    left join participation
        on countries.country_code = participation.country

)

select * from final
