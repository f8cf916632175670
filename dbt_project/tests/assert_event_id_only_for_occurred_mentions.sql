-- Mentions that occurred must belong to a canonical event; the others must not.
with

event_mentions as (

    select * from {{ ref('fct_event_mentions') }}

),

final as (

    select
        mention_id,
        modality,
        event_id

    from event_mentions
    where
        (is_occurred and event_id is null)
        or (not is_occurred and event_id is not null)

)

select * from final
