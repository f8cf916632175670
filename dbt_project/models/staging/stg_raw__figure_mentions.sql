with

source as (

    select * from {{ source('raw', 'figure_mentions') }}

),

renamed as (

    select
        figure_id,
        document_id,
        cast(sentence_index as integer) as sentence_index,
        lower(nullif(trim(metric), '')) as metric,
        cast(value as double) as value,
        -- A range's bounds ("от 5 до 7 млрд"); NULL for a single value.
        cast(value_low as double) as value_low,
        cast(value_high as double) as value_high,
        -- Currency codes are upper case ('USD'); the one non-currency unit is 'percent'.
        case
            when lower(trim(unit)) = 'percent' then 'percent'
            else upper(nullif(trim(unit), ''))
        end as unit,
        cast(scale as double) as scale,
        lower(nullif(trim(qualifier), '')) as qualifier,
        list_sort(list_distinct(countries)) as countries,
        upper(nullif(trim(source_country), '')) as source_country,
        upper(nullif(trim(target_country), '')) as target_country,
        cast(reference_year as integer) as reference_year,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        lower(nullif(trim(modality), '')) as modality,
        nullif(trim(rule_id), '') as rule_id,
        cast(n_mentions_in_document as integer) as n_mentions_in_document,
        evidence,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        extractor_version

    from source

)

select * from renamed
