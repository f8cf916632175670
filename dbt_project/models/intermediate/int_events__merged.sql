with

resolved_mentions as (

    select * from {{ ref('int_event_mentions__resolved') }}
    where event_id is not null

),

-- Attributes the mentions of one event may disagree on: the value most mentions give
-- wins, ties broken alphabetically so that a rebuild gives the same answer.
attribute_votes as (

    select
        event_id,
        'host_country' as attribute_name,
        host_country as attribute_value
    from resolved_mentions
    where host_country is not null

    union all

    select
        event_id,
        'visit_level' as attribute_name,
        visit_level as attribute_value
    from resolved_mentions
    where visit_level is not null

    union all

    select
        event_id,
        'organisation_id' as attribute_name,
        organisation_id as attribute_value
    from resolved_mentions
    where organisation_id is not null

    union all

    select
        event_id,
        'cameo_code' as attribute_name,
        cameo_code as attribute_value
    from resolved_mentions
    where cameo_code is not null

),

ranked_votes as (

    select
        event_id,
        attribute_name,
        attribute_value,
        row_number() over (
            partition by event_id, attribute_name
            order by count(*) desc, attribute_value asc
        ) as vote_rank

    from attribute_votes
    group by event_id, attribute_name, attribute_value

),

winning_attributes as (

    select
        event_id,
        max(
            case when attribute_name = 'host_country' then attribute_value end
        ) as host_country,
        max(
            case when attribute_name = 'visit_level' then attribute_value end
        ) as visit_level,
        max(
            case when attribute_name = 'organisation_id' then attribute_value end
        ) as organisation_id,
        max(
            case when attribute_name = 'cameo_code' then attribute_value end
        ) as cameo_code

    from ranked_votes
    where vote_rank = 1
    group by event_id

),

aggregated as (

    select
        event_id,
        -- Every mention of an event shares its type, participant set and start date.
        any_value(event_type) as event_type,
        any_value(participant_countries) as participant_countries,
        min(event_start_date) as start_date,
        max(end_date) as end_date,
        -- The finest precision any mention gives.
        min(
            case date_precision
                when 'day' then 1
                when 'month' then 2
                when 'year' then 3
            end
        ) as date_precision_rank,
        max(documents_signed) as documents_signed,
        max(confidence) as confidence,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        min(published_at) as first_reported_at,
        max(published_at) as last_reported_at

    from resolved_mentions
    group by event_id

),

final as (

    select
        aggregated.event_id,
        aggregated.event_type,
        aggregated.participant_countries,
        coalesce(len(aggregated.participant_countries), 0) as n_participants,
        winning_attributes.host_country,
        winning_attributes.visit_level,
        winning_attributes.organisation_id,
        winning_attributes.cameo_code,
        aggregated.start_date,
        aggregated.end_date,
        case aggregated.date_precision_rank
            when 1 then 'day'
            when 2 then 'month'
            when 3 then 'year'
        end as date_precision,
        aggregated.documents_signed,
        aggregated.confidence,
        aggregated.n_mentions,
        aggregated.n_documents,
        aggregated.first_reported_at,
        aggregated.last_reported_at

    from aggregated

    left join winning_attributes
        on aggregated.event_id = winning_attributes.event_id

)

select * from final
