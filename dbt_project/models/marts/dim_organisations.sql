with

organisations as (

    select * from {{ ref('organisations') }}

),

final as (

    select
        organisation_id,
        name_en,
        name_ru,
        kind,
        -- The seed keeps members space-separated; analysts get a sorted list.
        list_sort(
            list_distinct(
                regexp_split_to_array(nullif(trim(member_countries), ''), '\s+')
            )
        ) as member_countries

    from organisations

)

select * from final
