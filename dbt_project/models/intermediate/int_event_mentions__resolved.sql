with

event_mentions as (

    select * from {{ ref('stg_raw__event_mentions') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

rule_confidence as (

    select * from {{ ref('int_rule_confidence') }}
    where row_kind = 'event'

),

keyed_mentions as (

    select
        event_mentions.* exclude (confidence),
        -- The measured precision of the row's rule (README "Confidence").
        rule_confidence.confidence,
        documents.published_at,
        -- A mention with no modality is read as a report of something that happened.
        coalesce(event_mentions.modality = 'occurred', true) as is_occurred,
        -- Two summits on one day with the same countries (a CIS council and a Central
        -- Asia-Russia summit in Dushanbe) are different events: the format is in the key.
        coalesce(
            array_to_string(event_mentions.participant_countries, ','), ''
        )
        || case
            when event_mentions.event_type = 'summit'
                then '|' || coalesce(event_mentions.organisation_id, '')
            else ''
        end as participants_key

    from event_mentions

    left join documents
        on event_mentions.document_id = documents.document_id

    left join rule_confidence
        on event_mentions.rule_id = rule_confidence.rule_id

),

occurred_mentions as (

    select * from keyed_mentions
    where is_occurred

),

-- An undated mention takes the date of the dated mention of the same event type and
-- participants in the same document; when there are several, the one nearest in the text.
undated_candidates as (

    select
        undated.mention_id,
        dated.start_date as inherited_start_date,
        row_number() over (
            partition by undated.mention_id
            order by
                abs(dated.char_start - undated.char_start) asc nulls last,
                dated.start_date asc
        ) as candidate_rank

    from occurred_mentions as undated

    inner join occurred_mentions as dated
        on
            undated.document_id = dated.document_id
            and undated.event_type = dated.event_type
            and undated.participants_key = dated.participants_key

    where
        undated.start_date is null
        and dated.start_date is not null

),

inherited_dates as (

    select
        mention_id,
        inherited_start_date

    from undated_candidates
    where candidate_rank = 1

),

merge_keys as (

    select
        keyed_mentions.*,
        coalesce(
            keyed_mentions.start_date, inherited_dates.inherited_start_date
        ) as event_start_date

    from keyed_mentions

    left join inherited_dates
        on keyed_mentions.mention_id = inherited_dates.mention_id

),

final as (

    select
        mention_id,
        document_id,
        sentence_index,
        event_type,
        participant_countries,
        host_country,
        visit_level,
        documents_signed,
        organisation_id,
        start_date,
        end_date,
        date_precision,
        modality,
        cameo_code,
        rule_id,
        confidence,
        evidence,
        char_start,
        char_end,
        extractor_version,
        published_at,
        is_occurred,
        participants_key,
        event_start_date,
        -- Same type, same participants, same start date: one canonical event. Mentions
        -- still undated are merged only within their own document.
        case
            when is_occurred
                then {{ stable_key([
                    'event_type',
                    'participants_key',
                    "coalesce(cast(event_start_date as varchar), 'undated:' || document_id)",
                ]) }}
        end as event_id

    from merge_keys

)

select * from final
