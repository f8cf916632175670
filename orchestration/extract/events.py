"""Events: typed triggers, their participants, host, dates, documents signed and modality.

How a sentence becomes events:
1. Triggers ("визита", "переговоры", "подписаны", "phone call", "принял …") split the
   sentence into segments: each trigger owns the text up to the next one, and the first also
   owns what precedes it (its subject). An item that opens a new clause (", а 2 сентября в
   Пекине …") belongs to the next trigger; a trailing clause no trigger owns (", as Brussels
   seeks …") counts nowhere.
2. Modality: cues before and after the trigger ("посетит", "планируется", "который пройдет",
   "will", "To Pay"), carried over to the later triggers of the sentence until a past verb; an
   event dated after its article is planned too.
3. A trigger's participants are the countries its segment names (countries, leaders, capitals,
   metonyms; not topics such as "переговоры по Украине", nor the source of a statement, ", the
   Kremlin said"); a segment naming one side borrows the other from the sentence, one naming
   none takes the last pair the text named ("По итогам переговоров, президенты подписали 7
   документов") or the members of the summit just told. A place locates a meeting, talks or
   call (its host) without joining it; a summit of a format ("Центральная Азия – Китай") has the
   format's members.
4. Calls, visits and talks are bilateral: "переговоры Путина с лидерами Таджикистана,
   Казахстана и Киргизии" are three talks, one per counterpart; a summit, a joint meeting or
   talks among four or more stay one event with every participant.
5. An enumeration after a series ("Первая серия звонков ... Среди собеседников — Рамафоза,
   Токаев, ...") makes one event per name with the text's protagonist.
6. Dates: the trigger's own clause, else the sentence's (a year when nothing finer), else the
   narrative's last past day (in a dated article only), else the article's date for an event
   that happened.
7. Within a document, mentions of the same event (same type and parties, the same day or no
   day) become one row; talks held during a visit are part of it unless held with someone
   new, and multilateral talks on a summit's day are its sessions.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.cue_rules import MODALITY_ORDER, any_cue, cues_of
from orchestration.extract.entities import countries_by_sentence
from orchestration.extract.event_rules import EVENT_TRIGGER_RULES
from orchestration.extract.patterns import (
    ANAPHORA,
    CITATION,
    CLAUSE_BREAK,
    CONTINUATION,
    DOCUMENT_COUNT,
    DURATION,
    DURATION_DAYS,
    NUMBER_WORDS,
    PAST_VERB,
    STATE_VISITOR,
    SUMMIT_OF_TWO_AFTER,
    SUMMIT_OF_TWO_BEFORE,
    VISIT_LEVEL,
    VISIT_LEVELS,
)
from orchestration.extract.text import any_of, drop_overlaps, locate, materialise
from orchestration.keys import key_expr

KEYS = ["document_id", "sentence_index", "paragraph_index", "char_start", "char_end", "sentence"]
CAMEO = {"phone_call": "041", "visit": "042", "summit": "044", "meeting": "044", "talks": "046", "agreement_signing": "057"}
BILATERAL = ["phone_call", "visit", "talks"]


def _distinct(expr: pl.Expr) -> pl.Expr:
    return expr.list.unique(maintain_order=True).list.drop_nulls()


def _with_language(sentences: pl.LazyFrame, documents: pl.LazyFrame | None) -> pl.LazyFrame:
    if "language" in sentences.collect_schema().names():
        return sentences
    if documents is None:
        return sentences.with_columns(pl.lit("ru").alias("language"))
    return sentences.join(documents.select("document_id", "language"), on="document_id", how="left").with_columns(
        pl.col("language").fill_null("ru")
    )


def find_triggers(sentences: pl.LazyFrame, documents: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Every trigger of `event_rules` in the sentences of its language (`documents` gives each
    document's language; without it, Russian), with its modality and whether it is generic."""
    # one scan for the sentences that may hold a trigger, then each rule on those of its language only
    candidates = (
        _with_language(sentences, documents)
        .filter(pl.col("sentence").str.contains(any_of([rule.pattern for rule in EVENT_TRIGGER_RULES])))
        .pipe(materialise)
    )
    found = pl.concat(
        [
            locate(candidates.filter(pl.col("language") == rule.language), "sentence", KEYS, pattern=rule.pattern).with_columns(
                pl.lit(rule.rule_id).alias("rule_id"),
                pl.lit(rule.event_type).alias("event_type"),
                pl.lit(rule.role).alias("role"),
                pl.lit(rule.language).alias("language"),
            )
            for rule in EVENT_TRIGGER_RULES
        ]
    )
    before = pl.col("sentence").str.slice(
        pl.max_horizontal(pl.col("match_start") - 60, 0), pl.min_horizontal(pl.col("match_start"), 60)
    )
    # long enough for the subject between a noun and its future verb: "Переговоры Эммануэля Макрона и Владимира Путина пройдут"
    after = pl.col("sentence").str.slice(pl.col("match_end"), 70)
    # the end of the last planned trigger earlier in the sentence, and the words since
    planned_end = (
        pl.when(pl.col("modality") == "planned").then(pl.col("match_end")).shift(1).forward_fill().over("document_id", "sentence_index")
    )
    def next_trigger(column: str) -> pl.Expr:
        return pl.col(column).shift(-1).over("document_id", "sentence_index")

    since_planned = pl.col("sentence").str.slice(pl.col("_planned_end"), pl.col("match_start") - pl.col("_planned_end"))
    return (
        drop_overlaps(found, "match_start")
        .filter(
            ~pl.col("sentence").str.contains(CITATION)
            & ~any_cue(cues_of("exclusion", "not_an_event"), before, after)
        )
        .with_columns(
            _modality(before, after).alias("modality"),
            any_cue(cues_of("exclusion", "generic"), before, after).alias("is_generic"),
            any_cue(cues_of("exclusion", "adjunct"), before, after).alias("in_adjunct"),
        )
        # "will pay an official visit … and attend a summit": the future carries on until a past verb
        .sort("document_id", "sentence_index", "match_start")
        .with_columns(planned_end.alias("_planned_end"))
        .with_columns(
            pl.when((pl.col("modality") == "occurred") & pl.col("_planned_end").is_not_null() & ~since_planned.str.contains(PAST_VERB))
            .then(pl.lit("planned"))
            .when(pl.col("modality") == "prospective")
            .then(pl.lit("planned"))
            .otherwise(pl.col("modality"))
            .alias("modality")
        )
        # "Leaders … met Friday in Samarkand for their first-ever summit": the meeting is the summit
        .with_columns(
            (
                (pl.col("event_type") == "meeting")
                & (next_trigger("event_type") == "summit")
                & ~pl.col("sentence")
                .str.slice(pl.col("match_end"), (next_trigger("match_start") - pl.col("match_end")).clip(0))
                .str.contains(rf"{CLAUSE_BREAK}|(?i)полях|sidelines|margins")
            ).alias("_is_summit")
        )
        .filter(~pl.col("_is_summit").shift(1).over("document_id", "sentence_index").fill_null(False))
        .with_columns(
            pl.when("_is_summit").then(pl.lit("summit")).otherwise(pl.col("event_type")).alias("event_type"),
            pl.when("_is_summit").then(pl.lit("trigger.summit.met_for_summit")).otherwise(pl.col("rule_id")).alias("rule_id"),
        )
        .select(
            *KEYS,
            pl.col("match").alias("trigger"),
            pl.col("match_start").alias("pos"),
            "rule_id",
            "event_type",
            "role",
            "modality",
            "is_generic",
            "in_adjunct",
        )
    )


def _modality(before: pl.Expr, after: pl.Expr) -> pl.Expr:
    """The first modality of `cue_rules.MODALITY_ORDER` whose cues match; a trigger whose own
    form is future ("посетит") is planned; else the event occurred."""
    modality = pl.when(pl.col("role") == "planned").then(pl.lit("planned"))
    for value in MODALITY_ORDER:
        modality = modality.when(any_cue(cues_of("modality", value), before, after)).then(pl.lit(value))
    return modality.otherwise(pl.lit("occurred"))


def _segment_owner(items: pl.LazyFrame, triggers: pl.LazyFrame) -> pl.LazyFrame:
    """Attach to each item (by `pos`) the trigger whose segment holds it: the last trigger
    before it in the sentence, else the sentence's first trigger."""
    by = ["document_id", "sentence_index"]
    anchors = triggers.select(*by, "trigger_id", pl.col("pos").alias("trigger_pos")).sort("trigger_pos")
    items = items.sort("pos")
    backward = items.join_asof(anchors, left_on="pos", right_on="trigger_pos", by=by, strategy="backward", check_sortedness=False)
    before_first = (
        backward.filter(pl.col("trigger_id").is_null())
        .drop("trigger_id", "trigger_pos")
        .join_asof(anchors, left_on="pos", right_on="trigger_pos", by=by, strategy="forward", check_sortedness=False)
    )
    return pl.concat([backward.filter(pl.col("trigger_id").is_not_null()), before_first]).filter(
        pl.col("trigger_id").is_not_null()
    )


def _clause_owner(items: pl.LazyFrame, triggers: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Like `_segment_owner`, but an item opening a new clause belongs to the trigger after it:
    "…принимал Путина, а 2 сентября в Пекине прошли переговоры": the date and the place are the talks'."""
    by = ["document_id", "sentence_index"]
    owned = _segment_owner(items, triggers)
    following = (
        triggers.select(*by, pl.col("trigger_id").alias("_next_id"), pl.col("pos").alias("_next_pos"))
        .sort("_next_pos")
    )
    return (
        owned.sort("pos")
        .join_asof(following, left_on="pos", right_on="_next_pos", by=by, strategy="forward", check_sortedness=False)
        .join(sentences.select(*by, "sentence"), on=by)
        .with_columns(
            (
                (pl.col("trigger_pos") < pl.col("pos"))
                & pl.col("sentence")
                .str.slice(pl.col("trigger_pos"), (pl.col("pos") - pl.col("trigger_pos") + 1).clip(0))
                .str.contains(CLAUSE_BREAK)
            ).alias("_new_clause")
        )
        # in a trailing clause with no trigger of its own ("…summit, as Brussels seeks…"), no one's
        .with_columns(pl.when(pl.col("_new_clause")).then(pl.col("_next_id")).otherwise(pl.col("trigger_id")).alias("trigger_id"))
        .filter(pl.col("trigger_id").is_not_null())
        .drop("_next_id", "_next_pos", "sentence", "_new_clause")
    )


def _count_documents(text: pl.Expr) -> pl.Expr:
    """'16 документов' -> 16, 'семь документов' -> 7, 'более двух десятков документов' -> 20."""
    groups = text.str.extract_groups(DOCUMENT_COUNT)
    num = groups.struct.field("num").str.to_lowercase()
    value = pl.coalesce(
        num.cast(pl.Int32, strict=False),
        num.replace_strict({k: v for k, v in NUMBER_WORDS.items()}, default=None, return_dtype=pl.Float64).cast(pl.Int32),
    )
    tens = groups.struct.field("tens").is_not_null()
    return pl.when(tens).then(value * 10).otherwise(value)


def extract_events(
    sentences: pl.LazyFrame,
    mentions: pl.LazyFrame,
    dates: pl.LazyFrame,
    documents: pl.LazyFrame,
    formats: pl.LazyFrame | None = None,
    memberships: pl.LazyFrame | None = None,
    heads_of_state: pl.LazyFrame | None = None,
    triggers: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """`formats`: organisation_id, format_members (list) of summit formats ("Центральная Азия –
    Китай"): a summit of a format is attended by its members, named or not; `memberships`
    (organisation_id, country, joined_year, left_year) gives the members of the summit's year
    (without it, today's). `heads_of_state`:
    entity_id of the actors who are heads of state (their talks during a visit are the visit's).
    `triggers`: `find_triggers(sentences)`, when the caller has it already."""
    if formats is None:
        formats = pl.LazyFrame(schema={"organisation_id": pl.String, "format_members": pl.List(pl.String)})
    if heads_of_state is None:
        heads_of_state = pl.LazyFrame(schema={"entity_id": pl.String})
    # collected once: every step below reads the triggers, and a lazy plan would redo the regexes
    triggers = (find_triggers(sentences, documents) if triggers is None else triggers).with_row_index("trigger_id").pipe(materialise)
    # only a document holding a trigger holds an event: every step below reads those documents only
    in_scope = triggers.select("document_id").unique()
    sentences, mentions, dates, documents = (
        frame.join(in_scope, on="document_id", how="semi").pipe(materialise) for frame in (sentences, mentions, dates, documents)
    )
    countries, parties, owned = _owned_mentions(mentions, triggers, sentences, heads_of_state)
    per_sentence = _sentence_countries(sentences, countries, parties, mentions)
    protagonist = _protagonist(mentions)
    owned_dates, anchors = _narrative_dates(dates, triggers, sentences, documents)
    by = ["document_id", "sentence_index"]
    events = (
        _trigger_contexts(triggers, owned, owned_dates, countries, mentions, dates, formats)
        .join(anchors, on=by, how="left")
        .join(per_sentence.drop("paragraph_index"), on=by, how="left")
        .join(protagonist, on="document_id", how="left")
        .with_columns(pl.col("segment_countries").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .pipe(materialise)
    )
    events = _with_told_before(events, sentences)
    continuations = _continuations(sentences, triggers, events, per_sentence, protagonist)
    events = _with_parties_and_dates(events)
    continuations = continuations.with_columns(pl.lit("sentence").alias("date_source")).select(events.collect_schema().names())
    events = pl.concat([events, continuations], how="vertical_relaxed")

    # --- a summit of a format: its members take part ("the second China–Central Asia Summit")
    events = _with_summit_members(events, documents, dates, memberships)
    events = _split_bilateral(events)
    events = _with_attributes(events)
    events = _planned_after_article(events, documents)
    return _one_row_per_event(events, documents, heads_of_state)


def _protagonist(mentions: pl.LazyFrame) -> pl.LazyFrame:
    """The text's protagonist: the country whose leaders it names most often (first named on a tie)."""
    return (
        mentions.filter((pl.col("entity_type") == "actor") & pl.col("country").is_not_null())
        .group_by("document_id", "country")
        .agg(pl.len().alias("n"), pl.col("char_start").min().alias("first"))
        .sort(["document_id", "n", "first"], descending=[False, True, False])
        .group_by("document_id", maintain_order=True)
        .agg(pl.col("country").first().alias("protagonist"))
    )


def _owned_mentions(
    mentions: pl.LazyFrame, triggers: pl.LazyFrame, sentences: pl.LazyFrame, heads_of_state: pl.LazyFrame
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    """The country mentions that may make a party (not topics), those of them that are not
    places, and those a trigger's clause owns (with the trigger's id). In a sentence with a
    trigger, mentions of a trailing clause no trigger owns ("…summit, as Brussels seeks a
    footprint in a region dominated by Russia and China") count nowhere."""
    by = ["document_id", "sentence_index"]
    countries = mentions.filter(pl.col("country").is_not_null() & ~pl.col("is_topic") & ~pl.col("is_business"))
    # "met in Dushanbe": a place locates the event (its host), it is not a party to it
    parties = countries.filter(~pl.col("is_location"))
    countries = countries.join(heads_of_state.with_columns(pl.lit(True).alias("is_head_of_state")), on="entity_id", how="left").with_columns(
        pl.col("is_head_of_state").fill_null(False)
    )
    owned = _clause_owner(countries, triggers, sentences).pipe(materialise)
    unowned = (
        countries.join(triggers.select(by).unique(), on=by, how="semi")
        .join(owned.select(*by, "pos"), on=[*by, "pos"], how="anti")
        .select(*by, "pos")
    )
    countries = countries.join(unowned, on=[*by, "pos"], how="anti")
    parties = parties.join(unowned, on=[*by, "pos"], how="anti")
    return countries, parties, owned


def _sentence_countries(
    sentences: pl.LazyFrame, countries: pl.LazyFrame, parties: pl.LazyFrame, mentions: pl.LazyFrame
) -> pl.LazyFrame:
    """Countries per sentence, the last pair named before each sentence, its parties (places
    left out) and whether it names an official."""
    by = ["document_id", "sentence_index"]
    return (
        countries_by_sentence(sentences, countries, context_sizes=(2, 3))
        .join(
            parties.sort("pos").group_by(by).agg(pl.col("country").unique(maintain_order=True).alias("sentence_parties")),
            on=by,
            how="left",
        )
        .join(
            mentions.filter(pl.col("entity_type") == "actor").select(by).unique().with_columns(pl.lit(True).alias("names_actor")),
            on=by,
            how="left",
        )
        .with_columns(pl.col("names_actor").fill_null(False))
    )


def _narrative_dates(
    dates: pl.LazyFrame, triggers: pl.LazyFrame, sentences: pl.LazyFrame, documents: pl.LazyFrame
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Each trigger's own dates (its clause's), and per sentence the narrative's "now": the last
    day-precise date named before it. A planned event's date ("саммит, который пройдет 31
    августа") or any date after the article's is the future, never the narrative's now; an
    undated article has none (measured on news-ru's undated analyses, whose days are mostly
    background: dev events F1 0.437 -> 0.464, test 0.187 -> 0.243, the samples unchanged)."""
    by = ["document_id", "sentence_index"]
    # each date's trigger, once: it dates that trigger's event (the dateline's filing date dates none)
    owned_dates = _clause_owner(
        dates.filter((pl.col("precision") != "year") & ~pl.col("is_dateline")), triggers, sentences
    ).pipe(materialise)
    planned_dates = (
        owned_dates.filter(pl.col("precision") == "day")
        .join(triggers.filter(pl.col("modality") == "planned").select("trigger_id"), on="trigger_id", how="semi")
        .select(*by, "pos")
    )
    day_dates = (
        dates.join(documents.select("document_id", "published_at"), on="document_id", how="left")
        .filter((pl.col("precision") == "day") & (pl.col("start_date") <= pl.col("published_at")))
        .join(planned_dates, on=[*by, "pos"], how="anti")
        .drop("published_at")
    )
    anchors = (
        sentences.select(by)
        .join(
            day_dates.sort("pos").group_by(by).agg(pl.col("start_date").last().alias("_last_date")),
            on=by,
            how="left",
        )
        .sort(by)
        .with_columns(pl.col("_last_date").shift(1).forward_fill().over("document_id").alias("anchor_date"))
        .select(*by, "anchor_date")
    )
    return owned_dates, anchors


def _segment_countries(owned: pl.LazyFrame) -> pl.LazyFrame:
    """What each trigger's segment holds: its countries, parties, own side, officials, place."""
    return (
        owned
        .sort("pos")
        .group_by("trigger_id")
        .agg(
            pl.col("country").unique(maintain_order=True).alias("segment_countries"),
            pl.col("country").filter(~pl.col("is_location")).unique(maintain_order=True).alias("segment_parties"),
            pl.col("is_counterpart").any().alias("names_counterpart"),
            # the segment's own side: its first party not named as a counterpart ("с президентом Египта")
            # (a counterpart named again, "…делегацию ОАЭ наследным принцем Абу-Даби", is still one)
            pl.col("country")
            .filter(
                ~pl.col("is_location")
                & ~pl.col("is_counterpart")
                & ~pl.col("country").is_in(pl.col("country").filter(pl.col("is_counterpart")).implode())
            )
            .first()
            .alias("segment_subject"),
            # who is named: talks during a visit with someone new are an event of their own
            pl.col("entity_id").filter(pl.col("entity_type") == "actor").unique().alias("officials"),
            pl.col("is_head_of_state").any().alias("has_head_of_state"),
            pl.col("country").filter(pl.col("is_location")).first().alias("location_country"),
            # "посетил Таджикистан": the place visited; not the visitor ("visit by Chinese President",
            # "визит Токаева", "визит президента Казахстана")
            pl.col("country")
            .filter(
                (pl.col("pos") > pl.col("trigger_pos"))
                & (pl.col("entity_type") == "country")
                & (pl.col("kind") != "adjective")
                & ~pl.col("is_visitor")
            )
            .first()
            .alias("first_after"),
            pl.col("country").filter(pl.col("kind") == "metonym").first().alias("metonym_country"),
        )
    )


def _segment_organisations(triggers: pl.LazyFrame, mentions: pl.LazyFrame, formats: pl.LazyFrame) -> pl.LazyFrame:
    """The organisation of each trigger's segment; a summit's format is named next to the word,
    before or after it ("the China–Central Asia Summit", "саммита ШОС"), else it is the summit
    the paragraph told of last, else the summit format the paragraph last named ("The inaugural summit")."""
    by = ["document_id", "sentence_index"]
    organisations = mentions.filter(pl.col("entity_type") == "organisation")
    segment_orgs = (
        _segment_owner(organisations, triggers)
        .sort("pos")
        .group_by("trigger_id")
        .agg(pl.col("entity_id").first().alias("organisation_id"))
    )
    near_summit = (
        triggers.filter(pl.col("event_type") == "summit")
        .select("trigger_id", *by, "paragraph_index", pl.col("pos").alias("trigger_pos"), (pl.col("pos") + pl.col("trigger").str.len_chars()).alias("trigger_end"))
        .join(organisations.select(*by, "entity_id", "pos", (pl.col("pos") + pl.col("char_end") - pl.col("char_start")).alias("org_end")), on=by)
        # the gap between the two spans (0 where they overlap: "the China–Central Asia Summit")
        .with_columns(pl.max_horizontal(pl.col("pos") - pl.col("trigger_end"), pl.col("trigger_pos") - pl.col("org_end"), 0).alias("_distance"))
        .filter(pl.col("_distance") <= 60)
        # each name goes to the summit word nearest to it ("саммита «Центральная Азия-Россия» и
        # заседания Совета глав государств СНГ": two summits, two organisations)
        .filter(pl.col("_distance") == pl.col("_distance").min().over(*by, "pos"))
        .sort("_distance")
        .group_by("trigger_id")
        .agg(pl.col("entity_id").first().alias("_near_org"))
    )
    paragraph_org = (
        triggers.filter(pl.col("event_type") == "summit")
        .select("trigger_id", "document_id", "paragraph_index", "sentence_index")
        .join(
            organisations.join(formats.select(pl.col("organisation_id").alias("entity_id")), on="entity_id", how="semi").select(
                "document_id", "paragraph_index", pl.col("sentence_index").alias("_org_sentence"), pl.col("entity_id").alias("_paragraph_org")
            ),
            on=["document_id", "paragraph_index"],
        )
        .filter(pl.col("_org_sentence") < pl.col("sentence_index"))
        .sort("_org_sentence")
        .group_by("trigger_id")
        .agg(pl.col("_paragraph_org").last())
    )
    # "В повестке саммита «Центральная Азия-Россия» … в рамках ЕАЭС. … участники саммита": the
    # summit the paragraph named last, before any other body it names
    paragraph_summit = (
        triggers.filter(pl.col("event_type") == "summit")
        .select("trigger_id", "document_id", "paragraph_index", "sentence_index")
        .join(
            near_summit.join(triggers.select("trigger_id", "document_id", "paragraph_index", "sentence_index"), on="trigger_id").select(
                "document_id", "paragraph_index", pl.col("sentence_index").alias("_named_in"), "_near_org"
            ),
            on=["document_id", "paragraph_index"],
        )
        .filter(pl.col("_named_in") < pl.col("sentence_index"))
        .sort("_named_in")
        .group_by("trigger_id")
        .agg(pl.col("_near_org").last().alias("_paragraph_summit"))
    )
    return (
        triggers.select("trigger_id", "event_type")
        .join(segment_orgs, on="trigger_id", how="left")
        .join(near_summit, on="trigger_id", how="left")
        .join(paragraph_summit, on="trigger_id", how="left")
        .join(paragraph_org, on="trigger_id", how="left")
        .select(
            "trigger_id",
            pl.when(pl.col("event_type") == "summit")
            .then(pl.coalesce("_near_org", "organisation_id", "_paragraph_summit", "_paragraph_org"))
            .otherwise(pl.col("organisation_id"))
            .alias("organisation_id"),
        )
    )


def _sentence_dates(dates: pl.LazyFrame) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The first date finer than a year each sentence names, and its first year."""
    by = ["document_id", "sentence_index"]
    # "прибывший накануне в Пекин …, провел переговоры": a relative day inside the sentence dates
    # its own event only; opening the sentence ("The day before, …") it dates the whole of it
    sentence_dates = (
        dates.filter((pl.col("precision") != "year") & ((pl.col("kind") != "relative_day") | (pl.col("pos") <= 3)) & ~pl.col("is_dateline"))
        .sort("pos")
        .group_by(by)
        .agg(
            pl.col("start_date").first().alias("_s_start"),
            pl.col("end_date").first().alias("_s_end"),
            pl.col("precision").first().alias("_s_precision"),
        )
    )
    # "In 2019, Xi paid a state visit to Tajikistan": a year is a date too, when nothing finer is given
    sentence_years = (
        dates.filter((pl.col("kind") == "year") & ~pl.col("is_dateline"))
        .sort("pos")
        .group_by(by)
        .agg(pl.col("start_date").first().alias("_y_start"), pl.col("end_date").first().alias("_y_end"))
    )
    return sentence_dates, sentence_years


def _trigger_contexts(
    triggers: pl.LazyFrame,
    owned: pl.LazyFrame,
    owned_dates: pl.LazyFrame,
    countries: pl.LazyFrame,
    mentions: pl.LazyFrame,
    dates: pl.LazyFrame,
    formats: pl.LazyFrame,
) -> pl.LazyFrame:
    """Every trigger with what its segment, its clause and its sentence name: countries,
    organisation (and a format's members), dates, the sentence's place."""
    by = ["document_id", "sentence_index"]
    segment_dates = (
        owned_dates.sort("pos")
        .group_by("trigger_id")
        .agg(pl.col("start_date", "end_date", "precision").first())
    )
    # "…, который находится в Москве с государственным визитом": the visit's place, told apart from its trigger
    sentence_locations = (
        countries.filter(pl.col("is_location")).sort("pos").group_by(by).agg(pl.col("country").first().alias("sentence_location"))
    )
    sentence_dates, sentence_years = _sentence_dates(dates)
    return (
        triggers.join(_segment_countries(owned), on="trigger_id", how="left")
        .join(_segment_organisations(triggers, mentions, formats), on="trigger_id", how="left")
        .join(formats, on="organisation_id", how="left")
        .join(segment_dates, on="trigger_id", how="left")
        .join(sentence_dates, on=by, how="left")
        .join(sentence_years, on=by, how="left")
        .join(sentence_locations, on=by, how="left")
    )


def _with_told_before(events: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """The members of a summit the previous sentence told of: "По итогам встречи главы
    государств подписали…" after a summit of six (a pair is found by the context instead)."""
    by = ["document_id", "sentence_index"]
    told_parties = (
        events.with_columns(
            pl.when((pl.col("event_type") == "summit") & pl.col("format_members").is_not_null())
            .then(pl.concat_list("segment_countries", "format_members").pipe(_distinct))
            .alias("_told")
        )
        .filter(pl.col("_told").is_not_null() & (pl.col("role") == "event"))
        .sort("pos")
        .group_by(by)
        .agg(pl.col("_told").last())
    )
    return (
        events.join(
            sentences.select(by)
            .join(told_parties, on=by, how="left")
            .sort(by)
            .with_columns(pl.col("_told").shift(1).over("document_id").alias("told_before"))
            .select(*by, "told_before"),
            on=by,
            how="left",
        )
        .pipe(materialise)
    )


def _continuations(
    sentences: pl.LazyFrame, triggers: pl.LazyFrame, events: pl.LazyFrame, per_sentence: pl.LazyFrame, protagonist: pl.LazyFrame
) -> pl.LazyFrame:
    """Enumerations that continue the previous sentence's series ("Среди собеседников —
    Рамафоза, Токаев, …"): one event of the series' type with every name and the protagonist."""
    by = ["document_id", "sentence_index"]
    return (
        sentences.filter(pl.col("sentence").str.contains(CONTINUATION))
        .join(triggers.filter(pl.col("role") != "planned").select(by), on=by, how="anti")
        .with_columns((pl.col("sentence_index") - 1).alias("_prev"))
        .join(
            events.sort(pl.col("role") == "series", "pos")  # the series, else the last trigger
            .group_by(by)
            .agg(pl.all().exclude(KEYS).last())
            .select(
                pl.col("document_id"),
                pl.col("sentence_index").alias("_prev"),
                "event_type",
                pl.coalesce("start_date", "_s_start", "anchor_date").alias("start_date"),
                pl.coalesce("end_date", "_s_end").alias("end_date"),
                "precision",
                "modality",
            ),
            on=["document_id", "_prev"],
        )
        .join(per_sentence.select(*by, "sentence_countries"), on=by, how="left")
        .join(protagonist, on="document_id", how="left")
        .with_columns(
            pl.lit("event").alias("role"),
            pl.lit("enumeration.after_series").alias("rule_id"),
            pl.lit(False).alias("is_generic"),
            pl.lit(0).cast(pl.Int64).alias("pos"),
            pl.col("sentence").alias("trigger"),
            pl.concat_list(pl.col("protagonist"), pl.col("sentence_countries")).pipe(_distinct).alias("participants"),
            pl.col("protagonist").alias("principal"),
            pl.lit(None, dtype=pl.String).alias("host_country"),
            pl.lit(None, dtype=pl.String).alias("organisation_id"),
            pl.lit(None, dtype=pl.List(pl.String)).alias("format_members"),
            pl.lit(False).alias("names_counterpart"),
            pl.lit(None, dtype=pl.String).alias("segment_subject"),
            pl.lit([], dtype=pl.List(pl.String)).alias("officials"),
            pl.lit(False).alias("has_head_of_state"),
            pl.lit(False).alias("names_two_sides"),
        )
    )


# "met in Dushanbe": for meetings, talks and calls a place locates the event, it is not a party
LOCATED_ONLY = pl.col("event_type").is_in(["meeting", "talks", "phone_call"])
ONLY_COUNTERPARTS = pl.col("names_counterpart").fill_null(False) & pl.col("segment_subject").is_null()
_EMPTY = pl.lit([], dtype=pl.List(pl.String))
# A place is a party of a visit only (the visited): a summit or a signing "в Брюсселе" is held there,
# unless the sentence tells of a visit there ("paid a state visit to Moscow and signed 15 documents").
PLACE_IS_NO_PARTY = (pl.col("event_type") != "visit") & ~(pl.col("event_type") == "visit").any().over("document_id", "sentence_index")
SEGMENT_PARTIES = pl.when(PLACE_IS_NO_PARTY).then(pl.col("segment_parties").fill_null(_EMPTY)).otherwise(pl.col("segment_countries"))
SENTENCE_PARTIES = pl.when(PLACE_IS_NO_PARTY).then(pl.col("sentence_parties").fill_null(_EMPTY)).otherwise(pl.col("sentence_countries"))


def _participants() -> pl.Expr:
    """The parties of a trigger: its segment's, else its sentence's, else those named earlier
    where the sentence points back to them."""
    seg, sent = SEGMENT_PARTIES, SENTENCE_PARTIES
    ctx = pl.col("context_countries").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    # the parties named earlier count only where the sentence points back to them
    refers_back = pl.col("sentence").str.contains(ANAPHORA)
    told = pl.col("told_before")
    return (
        pl.when(seg.list.len() >= 2)
        .then(seg)
        # "in Astana the six leaders signed…" after a summit of six
        .when(refers_back & (sent.list.len() <= 1) & told.list.contains(sent.list.first().fill_null(told.list.first())))
        .then(told)
        .when((seg.list.len() == 1) & sent.list.len().is_between(2, 3))
        .then(sent)
        .when(seg.list.len() == 1)
        .then(seg)
        .when(sent.list.len() >= 2)
        .then(sent)
        .when(refers_back & (sent.list.len() == 1) & ctx.list.contains(sent.list.first()))
        .then(ctx)
        .when(refers_back & (sent.list.len() == 0))
        .then(ctx)
        .otherwise(sent)
    )


def _host() -> pl.Expr:
    """Where the event is held: a place its segment names, the country visited, a metonym
    ("the Kremlin"), the sentence's place for a visit or a summit."""
    return pl.coalesce(
        pl.col("location_country"),
        pl.when(pl.col("event_type") == "visit").then(pl.col("first_after")),
        pl.col("metonym_country"),
        pl.when(pl.col("event_type").is_in(["visit", "summit"])).then(pl.col("sentence_location")),
    )


def _with_parties_and_dates(events: pl.LazyFrame) -> pl.LazyFrame:
    """Keep the triggers that make an event, with participants, principal, host and dates."""
    participants = _participants()
    return (
        events.filter(
            (pl.col("role") != "series")
            & ~pl.col("is_generic")
            # a recalled frame ("после визита Трампа в Эр-Рияд") past the lead, undated in its clause
            & ~(pl.col("in_adjunct") & (pl.col("paragraph_index") > 0) & pl.col("start_date").is_null())
            # a visit is paid by a state's people: "около 400 военнослужащих … прибыли в Сирию" is none
            & ((pl.col("event_type") != "visit") | pl.col("names_actor") | pl.col("sentence").str.contains(STATE_VISITOR))
        )
        .with_columns(
            _host().alias("host_country"),
            pl.coalesce("start_date", "_s_start", "_y_start", "anchor_date").alias("start_date"),
            pl.coalesce("end_date", "_s_end", "_y_end").alias("end_date"),
            pl.coalesce(
                "precision",
                "_s_precision",
                pl.when(pl.col("_y_start").is_not_null()).then(pl.lit("year")),
                pl.when(pl.col("anchor_date").is_not_null()).then(pl.lit("day")),
            ).alias("precision"),
            # a date borrowed from the narrative is weaker than one the sentence gives
            pl.when(pl.col("start_date").is_not_null() | pl.col("_s_start").is_not_null() | pl.col("_y_start").is_not_null())
            .then(pl.lit("sentence"))
            .when(pl.col("anchor_date").is_not_null())
            .then(pl.lit("anchor"))
            .alias("date_source"),
        )
        .with_columns(
            # the host takes part in a visit (the visited); in a summit or a signing only when the text names
            # no two sides ("саммит в Астане"; not "саммит ЕС — Украина в Брюсселе", "подписали в Минске");
            # a meeting "in Dushanbe" is only held there
            pl.concat_list(
                participants,
                pl.when(~LOCATED_ONLY & ((pl.col("event_type") == "visit") | (participants.list.len() < 2))).then(pl.col("host_country")),
                # "после встречи с Дональдом Трампом": the other side is the text's protagonist
                # "он провёл переговоры с президентом Египта, королём Бахрейна …": every side named
                # is a counterpart, so the subject is the protagonist
                pl.when(LOCATED_ONLY & pl.col("names_counterpart") & ((participants.list.len() == 1) | ONLY_COUNTERPARTS))
                .then(pl.col("protagonist")),
            )
            .pipe(_distinct)
            .alias("participants"),
            # the subject, for splitting bilateral events: the segment's own side, else the sentence's first country
            pl.coalesce(
                pl.when(ONLY_COUNTERPARTS).then(pl.col("protagonist")), pl.col("segment_subject"), SENTENCE_PARTIES.list.first()
            ).alias("principal"),
        )
        .select(
            *KEYS, "trigger", "pos", "rule_id", "event_type", "modality", "participants", "principal", "protagonist",
            "host_country", "organisation_id", "start_date", "end_date", "precision", "date_source", "names_counterpart", "officials", "has_head_of_state", "format_members",
            (
                pl.col("sentence").str.slice(pl.col("pos")).str.contains(SUMMIT_OF_TWO_AFTER)
                | pl.col("sentence").str.slice(pl.max_horizontal(pl.col("pos") - 40, 0), pl.min_horizontal(pl.col("pos"), 40)).str.contains(SUMMIT_OF_TWO_BEFORE)
            ).alias("names_two_sides"),
        )
    )


def _split_bilateral(events: pl.LazyFrame) -> pl.LazyFrame:
    """Bilateral types: one event per counterpart of the principal."""
    principal = pl.coalesce(
        pl.when(pl.col("participants").list.contains(pl.col("principal"))).then(pl.col("principal")),
        pl.when(pl.col("participants").list.contains(pl.col("protagonist"))).then(pl.col("protagonist")),
        pl.col("participants").list.first(),
    )
    # talks among four or more ("X, Y, Z and W joined A for the talks") are one multilateral event,
    # unless one side meets the others ("переговоры Путина с лидерами Таджикистана, Казахстана и Киргизии")
    split = (
        pl.col("event_type").is_in(BILATERAL)
        & (pl.col("participants").list.len() > 2)
        & ((pl.col("event_type") != "talks") | (pl.col("participants").list.len() <= 3) | pl.col("names_counterpart").fill_null(False))
    )
    return (
        events.with_columns(principal.alias("principal"), split.alias("_split"))
        .with_columns(
            pl.when(pl.col("_split"))
            .then(pl.col("participants").list.set_difference(pl.concat_list("principal")))
            .otherwise(pl.concat_list(pl.lit(None, dtype=pl.String)))
            .alias("_counterpart")
        )
        .explode("_counterpart")
        .with_columns(
            pl.when(pl.col("_split"))
            .then(pl.concat_list("principal", "_counterpart"))
            .otherwise(pl.col("participants"))
            .alias("participants"),
        )
        .with_columns(
            # a visit's host is one of its two sides; a meeting, a summit or a signing may be held in a third country
            pl.when(
                pl.col("participants").list.contains(pl.col("host_country"))
                | pl.col("event_type").is_in(["meeting", "talks", "summit", "agreement_signing"])
            )
            .then(pl.col("host_country"))
            .alias("host_country")
        )
        .with_columns(pl.col("participants").list.sort().alias("participants"))
        .filter(
            pl.when(pl.col("event_type") == "summit")
            # a summit of two needs both named by its own words: "саммит Украина — ЕС", "саммита Трампа и Кима"
            .then(
                pl.col("organisation_id").is_not_null() & (pl.col("participants").list.len() >= 1)
                | (pl.col("participants").list.len() >= 3)
                | (pl.col("participants").list.len() == 2) & pl.col("names_two_sides")
            )
            .otherwise(pl.col("participants").list.len() >= 2)
        )
    )


def _with_attributes(events: pl.LazyFrame) -> pl.LazyFrame:
    """Attributes read off the evidence sentence: visit level, documents signed, a stay's end."""
    duration_days = (
        pl.col("sentence").str.extract(DURATION, 1).str.to_lowercase().replace_strict(DURATION_DAYS, default=None, return_dtype=pl.Int32)
    )
    return events.with_columns(
        pl.when(pl.col("event_type") == "visit")
        .then(
            pl.col("sentence")
            .str.extract(VISIT_LEVEL, 1)
            .str.to_lowercase()
            .replace_strict(VISIT_LEVELS, default=None)
        )
        .alias("visit_level"),
        pl.when(pl.col("event_type") == "agreement_signing")
        .then(_count_documents(pl.col("sentence").str.slice(pl.col("pos"))))
        .alias("documents_signed"),
        # "двухдневного государственного визита", "a three-day state visit": the end follows from the start
        pl.when(duration_days.is_not_null() & (pl.col("precision") == "day"))
        .then(
            pl.coalesce(
                pl.when(pl.col("end_date") > pl.col("start_date")).then(pl.col("end_date")),
                pl.col("start_date").dt.offset_by(pl.format("{}d", duration_days - 1)),
            )
        )
        .otherwise(pl.col("end_date"))
        .alias("end_date"),
    )


def _planned_after_article(events: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """An event dated after the article that reports it has not happened yet: "Следующий саммит … в 2027 году"."""
    return (
        events.join(documents.select("document_id", pl.col("published_at").alias("_published")), on="document_id", how="left")
        .with_columns(
            pl.when((pl.col("modality") == "occurred") & (pl.col("start_date") > pl.col("_published").dt.offset_by("1d")).fill_null(False))
            .then(pl.lit("planned"))
            .otherwise(pl.col("modality"))
            .alias("modality")
        )
        .drop("_published")
    )


def _with_summit_members(
    events: pl.LazyFrame, documents: pl.LazyFrame, dates: pl.LazyFrame, memberships: pl.LazyFrame | None
) -> pl.LazyFrame:
    """A summit of a format takes its members of the summit's year (the year of its date, else
    of the article, else the latest year of a day the article names): the BRICS of 2017 is five
    states, that of 2024 nine; a named guest stays."""
    is_summit = (pl.col("event_type") == "summit") & pl.col("format_members").is_not_null()
    events = events.with_row_index("_event_row")
    if memberships is None:
        members = events.filter(is_summit).select("_event_row", pl.col("format_members").alias("_members"))
    else:
        named_years = (
            dates.filter(pl.col("precision") == "day").group_by("document_id").agg(pl.col("start_date").max().dt.year().alias("_named_year"))
        )
        year = pl.coalesce(pl.col("start_date").dt.year(), pl.col("published_at").dt.year(), "_named_year").cast(pl.Int32)
        members = (
            events.filter(is_summit)
            .select("_event_row", "document_id", "organisation_id", "start_date")
            .join(documents.select("document_id", "published_at"), on="document_id", how="left")
            .join(named_years, on="document_id", how="left")
            .join(memberships, on="organisation_id")
            .filter(
                year.is_null() & pl.col("left_year").is_null()
                | year.is_not_null() & (pl.col("joined_year").is_null() | (pl.col("joined_year") <= year))
                & (pl.col("left_year").is_null() | (year < pl.col("left_year")))
            )
            .group_by("_event_row")
            .agg(pl.col("country").sort().alias("_members"))
        )
    return (
        events.join(members, on="_event_row", how="left")
        .with_columns(
            pl.when(pl.col("_members").is_not_null())
            .then(pl.concat_list("participants", "_members").pipe(_distinct))
            .otherwise(pl.col("participants"))
            .alias("participants")
        )
        .drop("format_members", "_members", "_event_row")
    )


def _one_row_per_event(events: pl.LazyFrame, documents: pl.LazyFrame, heads_of_state: pl.LazyFrame) -> pl.LazyFrame:
    """Merge the mentions of one event within a document (headline, lead, body, a later
    "в ходе визита"): same type family, parties and modality, dates that agree or none."""
    family = (
        pl.when((pl.col("event_type") == "meeting") & (pl.col("participants").list.len() == 2))
        .then(pl.lit("talks"))
        .otherwise(pl.col("event_type"))
    )
    # a summit is told apart by who attends; by its organisation where few are named (a CIS
    # council and a C5-Russia summit on one day stay two events)
    parties = (
        pl.when((pl.col("event_type") == "summit") & pl.col("organisation_id").is_not_null() & (pl.col("participants").list.len() < 3))
        .then(pl.col("organisation_id"))
        .otherwise(pl.col("participants").list.join(" "))
    )
    keyed = events.with_columns(family.alias("_family"), parties.alias("_parties"))
    group = ["document_id", "_family", "_parties", "modality"]
    # a mention dated only by the narrative joins a mention of the same event that has its own date
    borrowed = pl.col("date_source") == "anchor"
    has_own_date = (~borrowed & pl.col("start_date").is_not_null()).any().over(group)
    keyed = keyed.with_columns(
        pl.when(borrowed & has_own_date).then(None).otherwise(pl.col(c)).alias(c) for c in ("start_date", "end_date")
    )
    # mentions dated on different days (not within a range) are different events; undated ones join the first
    clustered = (
        keyed.sort([*group, "start_date"], nulls_last=True)
        .with_columns(
            (
                (pl.col("start_date") - pl.col("end_date").fill_null(pl.col("start_date")).cum_max().shift(1).over(group))
                .dt.total_days()
                .fill_null(0)
                > 0
            )
            .cast(pl.Int32)
            .cum_sum()
            .over(group)
            .alias("_cluster")
        )
    )
    merged = (
        clustered.sort("char_start", "pos")
        .group_by([*group, "_cluster"])
        .agg(
            pl.when(pl.col("event_type").is_in(["talks"]).any()).then(pl.lit("talks")).otherwise(pl.col("event_type").first()).alias("event_type"),
            pl.col("participants").list.explode(keep_nulls=False, empty_as_null=False).unique().sort().alias("participants"),
            pl.col("host_country").drop_nulls().first(),
            pl.col("visit_level").drop_nulls().first(),
            pl.col("documents_signed").max(),
            pl.col("officials").list.explode(keep_nulls=False, empty_as_null=False).unique().alias("officials"),
            pl.col("has_head_of_state").fill_null(False).any(),
            pl.col("organisation_id").drop_nulls().first(),
            pl.col("start_date").min(),
            pl.col("end_date").max(),
            pl.col("precision").sort_by("start_date").drop_nulls().first(),
            pl.col("sentence_index").first(),
            pl.col("char_start").first(),
            pl.col("char_end").first(),
            pl.col("sentence").first().alias("evidence"),
            pl.col("rule_id").first(),
            pl.len().alias("n_in_document"),
            (pl.col("date_source") == "anchor").all().alias("_borrowed_date"),
        )
    )
    merged = _without_parts_of_larger_events(merged, heads_of_state, group)
    published = documents.select("document_id", "published_at")
    return (
        merged.join(published, on="document_id", how="left")
        .with_columns(
            # an undated report of an event that happened: the article's date, at best
            pl.when(pl.col("start_date").is_null() & (pl.col("modality") == "occurred"))
            .then(pl.col("published_at"))
            .otherwise(pl.col("start_date"))
            .alias("start_date"),
            pl.when(pl.col("start_date").is_null() & (pl.col("modality") == "occurred") & pl.col("published_at").is_not_null())
            .then(pl.lit("day"))
            .otherwise(pl.col("precision"))
            .alias("date_precision"),
        )
        .with_columns(pl.coalesce("end_date", "start_date").alias("end_date"))
        .with_columns(
            key_expr(  # orchestration/keys.py
                "document_id", "event_type", pl.col("participants").list.join(","), "start_date", "char_start",
                "modality", "organisation_id",
            ).alias("mention_id"),
            pl.col("participants").alias("participant_countries"),
            pl.col("event_type").replace_strict(CAMEO, default=None).alias("cameo_code"),
            (
                pl.lit(0.5)
                + pl.when(pl.col("date_precision") == "day").then(0.2).otherwise(0.0)
                + pl.when(pl.col("n_in_document") > 1).then(0.2).otherwise(0.0)
            ).alias("confidence"),
        )
    )


def _without_parts_of_larger_events(merged: pl.LazyFrame, heads_of_state: pl.LazyFrame, group: list[str]) -> pl.LazyFrame:
    """Drop the merged events that are part of a larger one the document reports: talks held
    during a visit (unless with someone new) and multilateral talks on a summit's day."""
    # talks and meetings held during a visit are part of the visit, unless held with another official
    visits = merged.filter((pl.col("event_type") == "visit") & (pl.col("modality") == "occurred")).select(
        "document_id", pl.col("participants").list.join(" ").alias("_parties"), pl.col("start_date").alias("_v_start"), pl.col("end_date").alias("_v_end"),
        pl.col("officials").alias("_v_officials"),
        pl.col("has_head_of_state").alias("_v_head"),
    )
    heads = heads_of_state.select(pl.col("entity_id").implode().alias("_heads"))
    during_visit = (
        merged.filter(pl.col("_family") == "talks")
        .join(visits, on=["document_id", "_parties"])
        # "Накануне Мирзиёев провел встречу с … Мишустиным", a minister received by a head of state:
        # someone new, another event; a head of state's visit includes the host head of state's talks
        .join(heads, how="cross")
        .with_columns(pl.col("officials").list.set_difference("_v_officials").alias("_new"))
        .filter(
            (pl.col("_new").list.len() == 0)
            | (pl.col("_v_head") & (pl.col("_new").list.set_difference("_heads").list.len() == 0))
        )
        .filter(
            pl.col("start_date").is_null()
            | pl.col("_borrowed_date")
            | pl.col("_v_start").is_null()
            | (pl.col("start_date") >= pl.col("_v_start").dt.offset_by("-1d"))
            & (pl.col("start_date") <= pl.coalesce("_v_end", "_v_start").dt.offset_by("1d"))
        )
        .select(*group, "_cluster")
        .unique()
    )
    # talks among three or more on the day of a summit the text reports are its sessions
    summits = merged.filter((pl.col("event_type") == "summit") & (pl.col("modality") == "occurred")).select(
        "document_id", pl.col("start_date").alias("_summit_date")
    )
    summit_sessions = (
        merged.filter(pl.col("event_type").is_in(["talks", "meeting"]) & (pl.col("participants").list.len() >= 3))
        .join(summits, on="document_id")
        .filter(pl.col("start_date").eq_missing(pl.col("_summit_date")))
        .select(*group, "_cluster")
        .unique()
    )
    return merged.join(during_visit, on=[*group, "_cluster"], how="anti").join(summit_sessions, on=[*group, "_cluster"], how="anti")
