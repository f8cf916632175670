with

merged_events as (

    select * from {{ ref('int_events__merged') }}

),

final as (

    select
        event_id,
        event_type,
        participant_countries,
        n_participants,
        host_country,
        visit_level,
        organisation_id,
        cameo_code,
        start_date,
        end_date,
        date_precision,
        documents_signed,
        confidence,
        n_mentions,
        n_documents,
        first_reported_at,
        last_reported_at

    from merged_events

)

select * from final
