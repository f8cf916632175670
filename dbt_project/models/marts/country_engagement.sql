with

events as (

    select * from {{ ref('fct_events') }}

),

event_participants as (

    select * from {{ ref('event_participants') }}

),

event_mentions as (

    select * from {{ ref('fct_event_mentions') }}

),

-- Undated events cannot be placed in a month and are left out.
dated_events as (

    select
        event_id,
        event_type,
        documents_signed,
        cast(date_trunc('month', start_date) as date) as month

    from events
    where start_date is not null

),

-- Every participant paired with every other one: a bilateral event gives two rows
-- (KZ-RU and RU-KZ), a summit of n states n * (n - 1).
engagements as (

    select
        own.country,
        other.country as counterpart,
        dated_events.month,
        dated_events.event_id,
        dated_events.event_type,
        dated_events.documents_signed

    from dated_events

    inner join event_participants as own
        on dated_events.event_id = own.event_id

    inner join event_participants as other
        on
            own.event_id = other.event_id
            and own.country != other.country

),

event_documents as (

    select distinct
        event_id,
        document_id

    from event_mentions
    where event_id is not null

),

engagement_counts as (

    select
        country,
        counterpart,
        month,
        count(distinct event_id) as n_events,
        count(distinct event_id) filter (
            where event_type = 'phone_call'
        ) as n_phone_calls,
        count(distinct event_id) filter (where event_type = 'visit') as n_visits,
        count(distinct event_id) filter (where event_type = 'summit') as n_summits,
        count(distinct event_id) filter (where event_type = 'talks') as n_talks,
        count(distinct event_id) filter (
            where event_type = 'meeting'
        ) as n_meetings,
        count(distinct event_id) filter (
            where event_type = 'agreement_signing'
        ) as n_agreement_signings,
        cast(coalesce(sum(documents_signed), 0) as bigint) as documents_signed

    from engagements
    group by country, counterpart, month

),

engagement_documents as (

    select
        engagements.country,
        engagements.counterpart,
        engagements.month,
        count(distinct event_documents.document_id) as n_documents

    from engagements

    inner join event_documents
        on engagements.event_id = event_documents.event_id

    group by engagements.country, engagements.counterpart, engagements.month

),

final as (

    select
        engagement_counts.country,
        engagement_counts.counterpart,
        engagement_counts.month,
        engagement_counts.n_events,
        engagement_counts.n_phone_calls,
        engagement_counts.n_visits,
        engagement_counts.n_summits,
        engagement_counts.n_talks,
        engagement_counts.n_meetings,
        engagement_counts.n_agreement_signings,
        engagement_counts.documents_signed,
        coalesce(engagement_documents.n_documents, 0) as n_documents

    from engagement_counts

    left join engagement_documents
        on
            engagement_counts.country = engagement_documents.country
            and engagement_counts.counterpart = engagement_documents.counterpart
            and engagement_counts.month = engagement_documents.month

)

select * from final
