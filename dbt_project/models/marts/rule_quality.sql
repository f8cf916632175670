with

rule_confidence as (

    select * from {{ ref('int_rule_confidence') }}

),

final as (

    select
        rule_id,
        row_kind,
        rows_recorded,
        dev_precision,
        dev_rows_scored,
        confidence

    from rule_confidence

)

select * from final
