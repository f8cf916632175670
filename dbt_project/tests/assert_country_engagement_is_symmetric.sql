-- Every (country, counterpart, month) row has its mirror image with the same counts.
with

engagement as (

    select * from {{ ref('country_engagement') }}

),

final as (

    select
        engagement.country,
        engagement.counterpart,
        engagement.month

    from engagement

    left join engagement as mirror
        on
            engagement.country = mirror.counterpart
            and engagement.counterpart = mirror.country
            and engagement.month = mirror.month

    where
        mirror.country is null
        or engagement.n_events != mirror.n_events
        or engagement.documents_signed != mirror.documents_signed
        or engagement.n_documents != mirror.n_documents

)

select * from final
