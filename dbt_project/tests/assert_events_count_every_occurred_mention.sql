-- The canonical events' mention counts add up to the occurred mentions.
with

event_mentions as (

    select * from {{ ref('fct_event_mentions') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

occurred_mentions as (

    select count(*) as n_occurred_mentions
    from event_mentions
    where is_occurred

),

merged_mentions as (

    select coalesce(sum(n_mentions), 0) as n_merged_mentions
    from events

),

final as (

    select
        occurred_mentions.n_occurred_mentions,
        merged_mentions.n_merged_mentions

    from occurred_mentions

    cross join merged_mentions

    where occurred_mentions.n_occurred_mentions != merged_mentions.n_merged_mentions

)

select * from final
