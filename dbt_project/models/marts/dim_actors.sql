with

actors as (

    select * from {{ ref('actors') }}

),

-- A person may hold several roles over time (one seed row per term); the dimension keeps
-- one row per person, described by the current or most recent term.
ranked_terms as (

    select
        *,
        row_number() over (
            partition by actor_id
            order by
                term_end desc nulls first,
                term_start desc nulls last,
                role asc
        ) as term_rank,
        count(*) over (partition by actor_id) as n_terms

    from actors

),

final as (

    select
        actor_id,
        name_en,
        name_ru,
        country_code,
        role,
        title_ru,
        title_en,
        term_start,
        term_end,
        n_terms

    from ranked_terms
    where term_rank = 1

)

select * from final
