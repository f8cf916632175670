with

event_mentions as (

    select * from {{ ref('stg_raw__event_mentions') }}

),

figure_mentions as (

    select * from {{ ref('stg_raw__figure_mentions') }}

),

rule_precision as (

    select * from {{ ref('rule_precision') }}

),

recorded_rules as (

    select
        rule_id,
        'event' as row_kind,
        count(*) as rows_recorded
    from event_mentions
    where rule_id is not null
    group by rule_id

    union all

    select
        rule_id,
        'figure' as row_kind,
        count(*) as rows_recorded
    from figure_mentions
    where rule_id is not null
    group by rule_id

),

-- The precision of all rows of a kind on the dev set: what a rule is worth before it is measured.
kind_priors as (

    select
        row_kind,
        sum(dev_true) / nullif(sum(dev_true + dev_false), 0) as kind_precision
    from rule_precision
    group by row_kind

),

final as (

    select
        recorded_rules.rule_id,
        recorded_rules.row_kind,
        recorded_rules.rows_recorded,
        rule_precision.dev_precision,
        coalesce(rule_precision.dev_rows_scored, 0) as dev_rows_scored,
        kind_priors.kind_precision,
        -- Shrunk toward the kind's precision by {{ var('confidence_prior_weight') }} pseudo-rows, so a
        -- rule seen twice on the dev set does not claim 0 or 1.
        (
            coalesce(rule_precision.dev_true, 0)
            + {{ var('confidence_prior_weight') }} * kind_priors.kind_precision
        ) / (
            coalesce(rule_precision.dev_rows_scored, 0) + {{ var('confidence_prior_weight') }}
        ) as confidence

    from recorded_rules

    left join rule_precision
        on
            recorded_rules.rule_id = rule_precision.rule_id
            and recorded_rules.row_kind = rule_precision.row_kind

    left join kind_priors
        on recorded_rules.row_kind = kind_priors.row_kind

)

select * from final
