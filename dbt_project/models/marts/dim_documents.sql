with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

event_mentions as (

    select * from {{ ref('int_event_mentions__resolved') }}

),

figure_mentions as (

    select * from {{ ref('stg_raw__figure_mentions') }}

),

entity_mentions as (

    select * from {{ ref('stg_raw__entity_mentions') }}

),

document_sources as (

    select * from {{ ref('stg_raw__document_sources') }}

),

source_lists as (

    -- Every file that holds the document (a duplicate's file too), sorted and distinct.
    select
        document_id,
        list_sort(list(distinct source_name)) as source_names,
        count(*) as n_copies

    from document_sources
    group by document_id

),

event_counts as (

    select
        document_id,
        count(*) as n_event_mentions,
        count(distinct event_id) as n_events

    from event_mentions
    group by document_id

),

figure_counts as (

    select
        document_id,
        count(*) as n_figures

    from figure_mentions
    group by document_id

),

entity_counts as (

    select
        document_id,
        count(*) as n_entity_mentions

    from entity_mentions
    group by document_id

),

final as (

    select
        documents.document_id,
        documents.source_name,
        coalesce(source_lists.source_names, [documents.source_name]) as source_names,
        coalesce(source_lists.n_copies, 1) as n_copies,
        documents.source_line,
        documents.title,
        documents.url,
        documents.outlet,
        documents.language,
        documents.published_at,
        documents.published_at_source,
        documents.char_count,
        documents.ingested_at,
        documents.extractor_version,
        coalesce(event_counts.n_events, 0) as n_events,
        coalesce(event_counts.n_event_mentions, 0) as n_event_mentions,
        coalesce(figure_counts.n_figures, 0) as n_figures,
        coalesce(entity_counts.n_entity_mentions, 0) as n_entity_mentions

    from documents

    left join event_counts
        on documents.document_id = event_counts.document_id

    left join figure_counts
        on documents.document_id = figure_counts.document_id

    left join entity_counts
        on documents.document_id = entity_counts.document_id

    left join source_lists
        on documents.document_id = source_lists.document_id

)

select * from final
