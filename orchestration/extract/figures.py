"""Figures: money amounts and percentages with their metric, qualifier, countries, direction
and reference period.

A number is a figure only with a currency ("4,0 млрд. долларов", "$8,5 млрд.", "26 billion
yuan"), a percent sign or word, or a scale that carries the previous figure's currency
("превысил 27 млрд."). Counts of other things ("девяти школ", "3,000 companies") are not.
The metric is decided by the nearest keyword before the number ("инвестиции",
"товарооборот", "покупке"), else one just after it ("26 billion yuan in loans"); the
countries by the words from that keyword to the number, else the figure's own clause, else
the sentence, else the last pair of countries the text named; a figure for "the region"
keeps its one power. The period is the nearest before the number, or one right after it.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract import figure_rules
from orchestration.extract.entities import countries_by_sentence
from orchestration.extract.patterns import (
    CITATION,
    CURRENCIES,
    CURRENCY,
    DIGITS,
    GROWTH,
    INTO,
    MONEY,
    MONEY_CANDIDATES,
    MONEY_IN_WORDS,
    NATIONAL_CURRENCY,
    NUMBER_WORD,
    NUMBER_WORDS,
    PERCENT,
    QUALIFIER,
    QUALIFIERS,
    RECIPIENT_BEFORE,
    REGION,
    SCALE,
    SCALES,
    STOCK,
    TRADE,
    with_letters,
)
from orchestration.extract.text import (
    any_of,
    drop_overlaps,
    locate,
    materialise,
    next_in_sentence,
    previous_in_sentence,
)
from orchestration.keys import key_expr

KEYS = ["document_id", "sentence_index", "paragraph_index", "char_start", "sentence"]


def _first_match(expr: pl.Expr, table: list[tuple[str, str]]) -> pl.Expr:
    out = pl.lit(None, dtype=pl.String)
    for pattern, value in reversed(table):
        out = pl.when(expr.str.contains(pattern)).then(pl.lit(value)).otherwise(out)
    return out


def _number(num: pl.Expr, thousands_comma: pl.Expr) -> pl.Expr:
    """'4,0' -> 4.0, '1 500' -> 1500, '3,000' (English) -> 3000, 'десяти' -> 10."""
    digits = num.str.replace_all(r"[ \u00a0\u202f]", "")
    numeric = (
        pl.when(thousands_comma & digits.str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"))
        .then(digits.str.replace_all(",", ""))
        .otherwise(digits.str.replace(",", "."))
        .cast(pl.Float64, strict=False)
    )
    word = num.str.to_lowercase().replace_strict(NUMBER_WORDS, default=None, return_dtype=pl.Float64)
    return pl.coalesce(numeric, word)


def _scale(scale: pl.Expr) -> pl.Expr:
    low = scale.str.to_lowercase().str.strip_chars(".")
    out = pl.lit(1.0)
    for stem, factor in sorted(SCALES.items(), key=lambda kv: len(kv[0])):
        out = pl.when(low.str.starts_with(stem)).then(pl.lit(factor)).otherwise(out)
    return pl.when(scale.is_null()).then(pl.lit(1.0)).otherwise(out)


# A range's lower bound with a currency sign just before an upper bound: "$13-", "€50—"
CURRENCY_RANGE_BEFORE = rf"[$€£¥₽]\s?{DIGITS}\s*[-–—]\s*$"


def find_amounts(sentences: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """Money amounts and percentages with their value and unit (a scale alone borrows the
    currency of the amount before it in the paragraph)."""
    language = documents.select("document_id", "language")
    # one scan for the sentences that may hold an amount (a regex scan of every sentence costs
    # about the same whatever the pattern), then each pattern on those only
    with_numbers = sentences.filter(pl.col("sentence").str.contains(any_of([MONEY_CANDIDATES, MONEY_IN_WORDS, PERCENT]))).pipe(materialise)
    groups = ["sym", "num", "sym2", "scale", "cur"]
    found = [
        locate(with_numbers, "sentence", KEYS, pattern=pattern, candidates=candidates, whole_words=True)
        .with_columns(pl.col("match").str.extract_groups(pattern).alias("_g"))
        .unnest("_g")
        .select(*KEYS, "match", "match_start", "match_end", *[pl.col(g) if g in names else pl.lit(None, pl.String).alias(g) for g in groups])
        .with_columns(pl.lit(amount_rule).alias("_amount_rule"))
        for amount_rule, pattern, names, candidates in [
            ("money", MONEY, groups, MONEY_CANDIDATES),
            ("money_in_words", MONEY_IN_WORDS, ["num", "scale", "cur"], None),
        ]
    ]
    money = (
        pl.concat(found)
        .join(language, on="document_id", how="left")
        .with_columns(
            pl.coalesce("sym", "sym2", "cur").str.to_lowercase().alias("_currency_word"),
            pl.col("sentence").str.slice(pl.col("match_end"), 3).alias("_after"),
        )
        .with_columns(
            _first_match(pl.col("_currency_word"), CURRENCIES).alias("unit"),
            # "$3,000" is three thousand, but "$6,848 млрд" six point eight billion
            _number(pl.col("num"), ((pl.col("language") == "en") | pl.col("sym").is_not_null()) & ~pl.col("scale").fill_null("").str.contains("^[а-яё]")).alias("_number"),
            _scale(pl.col("scale")).alias("scale"),
            pl.col("scale").is_not_null().alias("_has_scale"),
        )
        # a scale with nothing after it borrows the currency of the figure before ("превысил 27 млрд."),
        # as does a range's upper bound after a currency sign ("$13-15 billion to Pakistan")
        .filter(
            pl.col("unit").is_not_null()
            | (pl.col("_has_scale") & pl.col("_after").str.contains(r"^\s*(?:[.,;:)»!?]|$)"))
            | (pl.col("_has_scale") & pl.col("sentence").str.slice(pl.max_horizontal(pl.col("match_start") - 20, 0), pl.min_horizontal(pl.col("match_start"), 20)).str.contains(CURRENCY_RANGE_BEFORE))
        )
        .with_columns(pl.lit("money").alias("_kind"))
    )
    percent = (
        locate(with_numbers, "sentence", KEYS, pattern=PERCENT, whole_words=True)
        .with_columns(pl.col("match").str.extract_groups(PERCENT).alias("_g"))
        .unnest("_g")
        .join(language, on="document_id", how="left")
        .with_columns(
            pl.lit("percent").alias("unit"),
            _number(pl.col("num"), pl.lit(False)).alias("_number"),
            pl.lit(1.0).alias("scale"),
            pl.lit("percent").alias("_kind"),
            pl.lit("percent").alias("_amount_rule"),
        )
    )
    columns = [*KEYS, "language", "match", "match_start", "match_end", "unit", "_number", "scale", "_kind", "_amount_rule"]
    amounts = (
        pl.concat([money.select(columns), percent.select(columns)])
        .filter(pl.col("_number").is_not_null() & ~pl.col("sentence").str.contains(CITATION))
        .pipe(drop_overlaps, "match_start")
        .sort("document_id", "sentence_index", "match_start")
        .with_columns(
            pl.when(pl.col("_kind") == "money")
            .then(pl.col("unit"))
            .forward_fill()
            .over(["document_id", "paragraph_index"])
            .alias("_carried")
        )
        .with_columns(pl.coalesce("unit", "_carried").alias("unit"))
        .filter(pl.col("unit").is_not_null())
        .with_columns((pl.col("_number") * pl.col("scale")).round(4).alias("value"))
        .pipe(_with_ranges)
    )
    return amounts


RANGE_PREFIX = 40  # characters before an amount searched for a range's lower bound
# between the lower bound's own amount and the upper one: "$3 млрд до $4 млрд", "$5-7 billion"
RANGE_JOINER = r"(?i)^\s*(?:[-–—]|до|and)\s*$"


def _range_low(language: str) -> pl.Expr:
    """The lower bound written just before an amount ("от 5 до 7 млрд", "5–7 млрд"): a struct
    of `low` (the number as written), `low_scale` (its own scale, if any) and `range_rule`."""
    prefix = pl.col("sentence").str.slice(
        pl.max_horizontal(pl.col("match_start") - RANGE_PREFIX, 0), pl.min_horizontal(pl.col("match_start"), RANGE_PREFIX)
    )
    rules = figure_rules.range_patterns(language, number=f"{DIGITS}|{NUMBER_WORD}", scale=SCALE, currency=CURRENCY)
    # `\w` under (?i) leaves the regex engine's fast automaton: spelled as letters, 10x faster
    rules = [(rule_id, with_letters(pattern)) for rule_id, pattern in rules]
    out = pl.lit(None, dtype=pl.Struct({"low": pl.String, "low_scale": pl.String, "range_rule": pl.String}))
    for rule_id, pattern in reversed(rules):
        found = prefix.str.extract_groups(pattern).struct.with_fields(pl.lit(rule_id).alias("range_rule"))
        out = pl.when(prefix.str.contains(pattern)).then(found).otherwise(out)
    return out


def _with_ranges(amounts: pl.LazyFrame) -> pl.LazyFrame:
    """A range keeps both bounds: `value` and `value_low` are the lower, `value_high` the upper
    (both NULL for a single value). The lower bound's own amount ("$5" of "$5–7 billion") goes."""
    low = pl.col("_range").struct
    low_scale = pl.when(low.field("low_scale").is_not_null()).then(_scale(low.field("low_scale"))).otherwise(pl.col("scale"))
    ranged = (
        amounts.with_columns(pl.when(pl.col("language") == "en").then(_range_low("en")).otherwise(_range_low("ru")).alias("_range"))
        .with_columns((_number(low.field("low"), pl.col("language") == "en") * low_scale).round(4).alias("_low_value"))
        # "в 2016 — 5 млрд" is no range: a lower bound is below the upper one
        .with_columns((pl.col("_low_value") < pl.col("value")).fill_null(False).alias("_is_range"))
        .with_columns(
            pl.when("_is_range").then(pl.col("_low_value")).alias("value_low"),
            pl.when("_is_range").then(pl.col("value")).alias("value_high"),
            pl.when("_is_range").then(low.field("range_rule")).alias("range_rule"),
        )
        .with_columns(pl.coalesce("value_low", "value").alias("value"))
        .sort("document_id", "sentence_index", "match_start")
    )
    gap_to_next = pl.col("sentence").str.slice(pl.col("match_end"), (next_in_sentence(pl.col("match_start")) - pl.col("match_end")).clip(0))
    is_lower_bound = next_in_sentence(pl.col("_is_range")).fill_null(False) & gap_to_next.str.contains(RANGE_JOINER)
    return ranged.filter(~is_lower_bound).drop("_range", "_low_value", "_is_range")


# Between an amount and a term just after it: "26 billion yuan in loans", "$3 млрд инвестиций",
# "12 billion euro ($13.2 billion) investment package"
TERM_AFTER_GAP = r"(?i)^\)?\s*(?:\([^)]{0,40}\)\s*)?(?:in\s+|в\s+виде\s+|в\s+качестве\s+)?(?:[\w-]+\s+)?$"
TERM_FIELDS = ["_term_rule", "_term_metric", "_term_max_gap"]


def _by_language(expr_of) -> pl.Expr:
    """`expr_of(language)` for the row's language: English rules for English, Russian for the rest."""
    return pl.when(pl.col("language") == "en").then(expr_of("en")).otherwise(expr_of("ru"))


def _located_terms(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Every economic term and exclusion in `sentences` (with `language`), with its rule: word
    forms located as literals, the rules' own patterns as one small regex, the earliest and
    longest kept where they overlap; a term is the first rule listing its form or fitting its pattern."""
    by = ["document_id", "sentence_index"]
    located, forms, attributes = [], [], []
    pattern_order = pl.lit(None, dtype=pl.Int32)
    # English rules for English documents, Russian ones for the rest
    rules_language = pl.when(pl.col("language") == "en").then(pl.lit("en")).otherwise(pl.lit("ru"))
    for language in figure_rules.LANGUAGES:
        lowered = sentences.filter(rules_language == language).with_columns(figure_rules.lowered(pl.col("sentence")).alias("_lowered"))
        tagged = pl.lit(language).alias("_rules_language")
        language_forms, pattern = figure_rules.term_forms(language), figure_rules.term_pattern(language)
        if language_forms.height:
            located.append(locate(lowered, "_lowered", [*by, "language"], literals=language_forms["match"].to_list(), whole_words=True))
        if pattern:
            # spelled with letters for `\w`, the regex engine's fast automaton (3x faster here)
            located.append(locate(lowered, "_lowered", [*by, "language"], pattern=with_letters(pattern), whole_words=True))
        for rule_order, anchored in reversed(figure_rules.term_pattern_rules(language)):
            fits = (pl.col("_rules_language") == language) & pl.col("match").str.contains(anchored)
            pattern_order = pl.when(fits).then(pl.lit(rule_order, dtype=pl.Int32)).otherwise(pattern_order)
        forms.append(language_forms.with_columns(tagged))
        attributes.append(figure_rules.term_attributes(language).with_columns(tagged))
    return (
        drop_overlaps(pl.concat(located), "match_start")
        .with_columns(rules_language.alias("_rules_language"))
        .join(pl.concat(forms).lazy(), on=["_rules_language", "match"], how="left")
        .with_columns(pl.min_horizontal("_term_order", pattern_order).alias("_term_order"))
        .join(pl.concat(attributes).lazy(), on=["_rules_language", "_term_order"], how="left")
        .drop("_rules_language", "_term_order")
    )


def governing_terms(amounts: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """The term that governs each amount in its clause: the nearest before it, when no clause
    break stands between and it is near enough, else one right after it. Adds `_kw_pos` (the
    term's start, before the amount only), `_term_rule`, `_metric_kw` (the metric it names,
    'other' for an exclusion) and `_per_unit_rule` (a unit price after the amount)."""
    by = ["document_id", "sentence_index"]
    language = amounts.select("document_id", "language").unique()
    # the amounts' sentences and the ones before them (where an anaphor's term may stand)
    wanted = pl.concat([amounts.select(by), amounts.select("document_id", pl.col("sentence_index") - 1)]).unique()
    terms = _located_terms(sentences.join(wanted, on=by, how="semi").join(language, on="document_id")).pipe(materialise)
    before = terms.select(*by, pl.col("match_start").alias("_kw_pos"), pl.col("match_end").alias("_kw_end"), *TERM_FIELDS)
    after = terms.select(*by, pl.col("match_start").alias("_after_pos"), *[pl.col(f).alias(f"{f}_after") for f in TERM_FIELDS])
    gap_before = pl.col("sentence").str.slice(pl.col("_kw_end"), (pl.col("match_start") - pl.col("_kw_end")).clip(0))
    gap_after = pl.col("sentence").str.slice(pl.col("match_end"), (pl.col("_after_pos") - pl.col("match_end")).clip(0))
    lowered = figure_rules.lowered
    breaks = _by_language(lambda lang: lowered(gap_before).str.contains(figure_rules.single_pattern(lang, "clause_break")))
    per_unit = _by_language(
        lambda lang: lowered(pl.col("sentence").str.slice(pl.col("match_end"), 60)).str.contains(figure_rules.single_pattern(lang, "per_unit"))
    )
    sport = _by_language(lambda lang: lowered(pl.col("sentence")).str.contains(figure_rules.single_pattern(lang, "sentence_exclusion")))
    governs_before = pl.col("_kw_end").is_not_null() & (gap_before.str.len_chars() <= pl.col("_term_max_gap")) & ~breaks
    governs_after = pl.col("_after_pos").is_not_null() & gap_after.str.contains(TERM_AFTER_GAP)
    return (
        amounts.sort("match_start")
        .join_asof(before.sort("_kw_end"), left_on="match_start", right_on="_kw_end", by=by, strategy="backward", check_sortedness=False)
        .join_asof(after.sort("_after_pos"), left_on="match_end", right_on="_after_pos", by=by, strategy="forward", check_sortedness=False)
        .with_columns(governs_before.fill_null(False).alias("_before_ok"), governs_after.fill_null(False).alias("_after_ok"))
        .with_columns(
            pl.when("_before_ok").then(pl.col("_kw_pos")).alias("_kw_pos"),
            pl.when("_before_ok").then(pl.col("_term_rule")).when("_after_ok").then(pl.col("_term_rule_after")).alias("_term_rule"),
            pl.when("_before_ok").then(pl.col("_term_metric")).when("_after_ok").then(pl.col("_term_metric_after")).alias("_metric_kw"),
            # a unit price after the amount, or a sports transfer in its sentence: never economic
            pl.when(per_unit)
            .then(_by_language(lambda lang: pl.lit(f"{lang}_per_unit")))
            .when(sport)
            .then(_by_language(lambda lang: pl.lit(f"{lang}_sport_context")))
            .alias("_per_unit_rule"),
        )
        .drop("_kw_end", "_after_pos", "_before_ok", "_after_ok", "_term_metric", "_term_max_gap", *[f"{f}_after" for f in TERM_FIELDS])
        .pipe(_anaphoric_terms, terms)
    )


ELLIPSIS_GAP = 40  # the most characters between two figures of one elliptic list
ANAPHORA_WINDOW = 50  # characters before an amount where its anaphor stands
SENTENCE_SPAN_KEY = 1_000_000  # sentence_index * this + offset orders terms across sentences


def _anaphoric_terms(amounts: pl.LazyFrame, terms: pl.LazyFrame) -> pl.LazyFrame:
    """An amount no term governs, whose clause refers back ("он составил", "из них", "accounted
    for"), takes the metric of the last economic term before it, in its sentence or the one before."""
    position = pl.col("sentence_index").cast(pl.Int64) * SENTENCE_SPAN_KEY
    economic = (
        terms.filter(pl.col("_term_metric") != "other")
        .select("document_id", (position + pl.col("match_end")).alias("_key"), pl.col("sentence_index").alias("_prev_sentence"), pl.col("_term_metric").alias("_prev_metric"))
        .sort("_key")
    )
    amounts = amounts.sort("document_id", "sentence_index", "match_start")
    # the words just before the amount, in its clause: "в 2010 году он составил $11,2 млн"
    clause_start = pl.max_horizontal(previous_in_sentence(pl.col("match_end")).fill_null(0), pl.col("match_start") - ANAPHORA_WINDOW)
    clause = figure_rules.lowered(pl.col("sentence").str.slice(clause_start.clip(0), (pl.col("match_start") - clause_start.clip(0)).clip(0)))
    refers_back = _by_language(
        lambda lang: clause.str.contains(figure_rules.single_pattern(lang, "anaphora"))
        & ~clause.str.contains(figure_rules.single_pattern(lang, "clause_break"))
    )
    anaphoric = pl.col("_term_rule").is_null() & refers_back & (pl.col("sentence_index") - pl.col("_prev_sentence") <= 1)
    return (
        amounts.with_columns((position + pl.col("match_start")).alias("_key"))
        .sort("_key")
        .join_asof(economic, on="_key", by="document_id", strategy="backward", check_sortedness=False)
        .sort("document_id", "sentence_index", "match_start")
        .with_columns(anaphoric.fill_null(False).alias("_anaphoric"))
        .with_columns(
            pl.when("_anaphoric").then(_by_language(lambda lang: pl.lit(f"{lang}_anaphora"))).otherwise(pl.col("_term_rule")).alias("_term_rule"),
            pl.when("_anaphoric").then(pl.col("_prev_metric")).otherwise(pl.col("_metric_kw")).alias("_metric_kw"),
        )
        .drop("_key", "_prev_metric", "_prev_sentence", "_anaphoric")
        .pipe(_elliptic_terms)
    )


ELLIPTIC_LIST_LENGTH = 4  # the longest list whose later figures take the first one's metric


def _elliptic_terms(amounts: pl.LazyFrame) -> pl.LazyFrame:
    """"…составил $11,2 млн, в 2014 году — $290 тыс., а в 2015-м — всего $70 тыс.": an amount no
    term governs, a dash away from a named figure before it in its sentence, takes its metric
    (one step per figure of the list; `amounts` sorted by document, sentence and position)."""
    previous_end = previous_in_sentence(pl.col("match_end"))
    gap = figure_rules.lowered(pl.col("sentence").str.slice(previous_end.fill_null(0), ELLIPSIS_GAP))
    elliptic = (
        pl.col("_term_rule").is_null()
        & (previous_in_sentence(pl.col("_metric_kw")).fill_null("other") != "other")
        & (pl.col("match_start") - previous_end <= ELLIPSIS_GAP)
        & _by_language(lambda lang: gap.str.contains(figure_rules.single_pattern(lang, "ellipsis")))
    ).fill_null(False)
    for _ in range(ELLIPTIC_LIST_LENGTH - 1):
        amounts = amounts.with_columns(elliptic.alias("_elliptic")).with_columns(
            pl.when("_elliptic").then(_by_language(lambda lang: pl.lit(f"{lang}_ellipsis"))).otherwise(pl.col("_term_rule")).alias("_term_rule"),
            pl.when("_elliptic").then(previous_in_sentence(pl.col("_metric_kw"))).otherwise(pl.col("_metric_kw")).alias("_metric_kw"),
        )
    return amounts.drop("_elliptic")


def extract_figures(
    sentences: pl.LazyFrame,
    mentions: pl.LazyFrame,
    dates: pl.LazyFrame,
    documents: pl.LazyFrame,
    amounts: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """`amounts`: `find_amounts(sentences, documents)`, when the caller has it already."""
    by = ["document_id", "sentence_index"]
    # collected once: periods, countries and metrics all read the amounts
    amounts = (find_amounts(sentences, documents) if amounts is None else amounts).with_row_index("figure_row").pipe(materialise)
    # only a document holding an amount holds a figure: every step below reads those documents only
    in_scope = amounts.select("document_id").unique()
    sentences, mentions, dates, documents = (
        frame.join(in_scope, on="document_id", how="semi").pipe(materialise) for frame in (sentences, mentions, dates, documents)
    )
    prefix = pl.col("sentence").str.slice(0, pl.col("match_start"))
    amounts = amounts.pipe(governing_terms, sentences).sort(*by, "match_start").with_columns(
        prefix.str.slice(pl.max_horizontal(pl.col("match_start") - 45, 0)).str.extract(QUALIFIER, 1).str.to_lowercase().alias("_q"),
    ).with_columns(
        _first_match(pl.col("_q"), QUALIFIERS).fill_null("exact").alias("qualifier"),
        # the words from just before the term (or from the figure before in the sentence) to the
        # number: "российские инвестиции в Казахстан превысил 27"
        pl.max_horizontal(
            pl.coalesce(pl.col("_kw_pos") - 30, pl.col("match_start") - 60).clip(0),
            previous_in_sentence(pl.col("match_end")).fill_null(0),
        ).alias("_scope_start"),
    ).pipe(materialise)

    # --- reference period: the nearest period before the number in the sentence, else just after
    periods = dates.filter(pl.col("kind").is_in(["year", "relative_year", "month_range", "months_of_year", "month", "en_month"]))
    figure_periods = (
        amounts.select("figure_row", *by, "match_start", "match_end")
        .join(periods.select(*by, "pos", "start_date", "end_date"), on=by)
        .join(sentences.select(*by, "sentence"), on=by)
        .with_columns(
            # right after the number ("$36 billion in 2021") it is the figure's own; further after,
            # only if none comes before
            pl.when((pl.col("pos") >= pl.col("match_end")) & (pl.col("pos") - pl.col("match_end") <= 2)
                    & pl.col("sentence").str.slice(pl.col("match_end"), (pl.col("pos") - pl.col("match_end")).clip(0)).str.contains(r"^\s*$"))
            .then(0)
            .when(pl.col("pos") < pl.col("match_start"))
            .then(pl.col("match_start") - pl.col("pos"))
            .otherwise((pl.col("pos") - pl.col("match_end")) * 3 + 1000)
            .alias("_distance")
        )
        .filter(pl.col("_distance") < 1000 + 3 * 40)
        .sort("_distance")
        .group_by("figure_row")
        .agg(pl.col("start_date").first().alias("period_start"), pl.col("end_date").first().alias("period_end"))
    )

    # --- countries: scope, else sentence, else the last pair named
    countries = mentions.filter(pl.col("country").is_not_null() & ~pl.col("is_topic"))
    in_scope = (
        amounts.select("figure_row", *by, "_scope_start", "_kw_pos", "match_end")
        .join(countries.select(*by, "pos", "country", "kind", "surface", "char_start"), on=by)
        .filter((pl.col("pos") >= pl.col("_scope_start")) & (pl.col("pos") < pl.col("match_end")))
        .join(sentences.select(*by, pl.col("sentence")), on=by)
        .with_columns(
            pl.col("sentence").str.slice(pl.max_horizontal(pl.col("pos") - 12, 0), pl.min_horizontal(pl.col("pos"), 12)).alias("_before")
        )
        .sort("pos")
        .group_by("figure_row")
        .agg(
            pl.col("country").unique(maintain_order=True).alias("scope_countries"),
            # investor: named before the keyword or right after it ("инвестиции России")
            pl.col("country")
            .filter(~pl.col("_before").str.contains(INTO) & ~pl.col("_before").str.contains(RECIPIENT_BEFORE) & (pl.col("pos") < pl.col("_kw_pos").fill_null(0) + 25))
            .first()
            .alias("_source"),
            # destination: "в Казахстан", "into Kazakhstan" after the keyword
            pl.col("country")
            .filter(
                pl.col("_before").str.contains(INTO) & (pl.col("pos") > pl.col("_kw_pos").fill_null(0))
                | pl.col("_before").str.contains(RECIPIENT_BEFORE)
            )
            .first()
            .alias("_target"),
        )
    )
    per_sentence = countries_by_sentence(sentences, countries, context_sizes=(2, 2))
    # --- the figure's clause: from the figure before it in the sentence to the first comma after
    # it ("26 billion yuan in loans to Kyrgyzstan and Tajikistan for roads, …, and China's …")
    comma_after = pl.col("sentence").str.slice(pl.col("match_end")).str.find(",")
    clause_bounds = (
        amounts.select("figure_row", *by, "match_start", "match_end", "sentence", "_scope_start")
        .sort(*by, "match_start")
        .with_columns(
            previous_in_sentence(pl.col("match_end")).fill_null(0).alias("_clause_start"),
            pl.min_horizontal(
                next_in_sentence(pl.col("match_start")),
                pl.col("match_end") + comma_after,
                pl.col("sentence").str.len_chars(),
            ).alias("_clause_end"),
            pl.col("sentence")
            .str.slice(pl.col("_scope_start"), pl.col("match_start") - pl.col("_scope_start") + 40)
            .str.contains(REGION)
            .alias("_own_region"),
        )
        # "товарооборот Китая со странами региона … 95 млрд долларов, России — около 44 млрд."
        .with_columns((pl.col("_own_region") | previous_in_sentence(pl.col("_own_region")).fill_null(False)).alias("for_region"))
    )
    in_clause = (
        clause_bounds.join(countries.select(*by, "pos", "country"), on=by)
        .filter((pl.col("pos") >= pl.col("_clause_start")) & (pl.col("pos") < pl.col("_clause_end")))
        .sort("pos")
        .group_by("figure_row")
        .agg(pl.col("country").unique(maintain_order=True).alias("clause_countries"))
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    scope = pl.col("scope_countries").fill_null(empty)
    clause = pl.col("clause_countries").fill_null(empty)
    # a figure for a region names one power and "the region": no second country is borrowed
    sent = pl.col("sentence_countries")
    chosen = (
        pl.when(scope.list.len() >= 2)
        .then(scope)
        .when(pl.col("for_region"))
        .then(pl.coalesce(pl.when(scope.list.len() > 0).then(scope), pl.when(clause.list.len() > 0).then(clause), sent))
        .when(clause.list.len().is_between(2, 3))
        .then(clause)
        .when(sent.list.len().is_between(2, 3))
        .then(sent)
        .otherwise(
            pl.concat_list(clause, sent, pl.col("context_countries").fill_null(empty)).list.unique(maintain_order=True).list.head(2)
        )
    )
    figures = (
        amounts.join(figure_periods, on="figure_row", how="left")
        .join(in_scope, on="figure_row", how="left")
        .join(clause_bounds.select("figure_row", "for_region"), on="figure_row", how="left")
        .join(in_clause, on="figure_row", how="left")
        .join(per_sentence.drop("paragraph_index"), on=by, how="left")
        .with_columns(
            chosen.list.drop_nulls().list.sort().alias("countries"),
            # the cue that decides the metric (part of the row's rule_id)
            pl.when(pl.col("unit") == "percent")
            .then(
                pl.when(pl.col("sentence").str.contains(NATIONAL_CURRENCY))
                .then(pl.lit("national_currency_cue"))
                .when(pl.col("sentence").str.contains(GROWTH) & pl.col("sentence").str.contains(TRADE))
                .then(pl.lit("growth_and_trade_cue"))
                .otherwise(pl.lit("no_cue"))
            )
            .otherwise(pl.coalesce("_per_unit_rule", "_term_rule", pl.lit("no_term")))
            .alias("_metric_cue"),
        )
        .with_columns(
            pl.when(pl.col("_metric_cue") == "national_currency_cue")
            .then(pl.lit("national_currency_share"))
            .when(pl.col("_metric_cue") == "growth_and_trade_cue")
            .then(pl.lit("trade_growth"))
            .when((pl.col("unit") == "percent") | pl.col("_per_unit_rule").is_not_null())
            .then(pl.lit("other"))
            .when(pl.col("_metric_kw") == "investment")
            .then(
                # a stock only where the text says accumulated or total: a year's, a plan's or a
                # fund's investment is a flow (most unmarked ones on the dev split were)
                pl.when(pl.col("sentence").str.slice(pl.col("_scope_start"), pl.col("match_start") - pl.col("_scope_start")).str.contains(STOCK))
                .then(pl.lit("investment_stock"))
                .otherwise(pl.lit("investment_flow"))
            )
            .otherwise(pl.coalesce(pl.col("_metric_kw"), pl.lit("other")))
            .alias("metric"),
            pl.col("period_start").dt.year().cast(pl.Int32).alias("reference_year"),
        )
        # A percentage is an economic figure only under a trade or settlement cue: the rest are
        # polls, results, rates and shares of anything ("89 %" of a match, a party's 12 %).
        # On the dev split of the news-ru development set they were 68 rows, none a gold figure.
        .filter((pl.col("unit") != "percent") | (pl.col("_metric_cue") != "no_cue"))
        # a figure no economic term governs is about no pair of countries
        .with_columns(pl.when(pl.col("metric") != "other").then(pl.col("countries")).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("countries"))
        .with_columns(
            # direction only where money or goods move: investment, aid; a deal or trade figure
            # only toward a destination the text names ("поставке вооружений в Саудовскую Аравию")
            pl.when(
                pl.col("metric").is_in(["investment_flow", "investment_stock", "aid_or_loan"])
                | (pl.col("metric").is_in(["deal_value", "trade_turnover", "trade_growth"]) & pl.col("_target").is_not_null())
            )
            .then(
                pl.coalesce(
                    pl.col("_source"),
                    pl.when(pl.col("countries").list.len() == 2).then(pl.col("countries").list.set_difference(pl.concat_list("_target")).list.first()),
                )
            )
            .alias("source_country"),
        )
        .with_columns(
            pl.when(
                pl.col("metric").is_in(["investment_flow", "investment_stock", "aid_or_loan"])
                | (pl.col("metric").is_in(["deal_value", "trade_turnover", "trade_growth"]) & pl.col("_target").is_not_null())
            )
            .then(
                pl.coalesce(
                    pl.when(pl.col("_target") != pl.col("source_country")).then(pl.col("_target")),
                    pl.when(pl.col("countries").list.len() == 2).then(pl.col("countries").list.set_difference(pl.concat_list("source_country")).list.first()),
                )
            )
            .alias("target_country"),
        )
        .with_columns(
            pl.when(pl.col("source_country") == pl.col("target_country")).then(None).otherwise(pl.col("target_country")).alias("target_country"),
            (pl.col("char_start") + pl.col("match_start")).cast(pl.Int32).alias("_abs_start"),
        )
        .with_columns(
            # orchestration/keys.py; the value as whole thousandths (a float's text is not stable).
            key_expr("document_id", "_abs_start", "unit", (pl.col("value") * 1000).round().cast(pl.Int64, strict=False)).alias("figure_id"),
            pl.col("sentence").alias("evidence"),
            pl.lit("occurred").alias("modality"),
            pl.concat_str(pl.lit("figure"), "_amount_rule", "_metric_cue", "metric", separator=".").alias("rule_id"),
            pl.col("_abs_start").alias("char_start"),
            (pl.col("char_start") + pl.col("match_end")).cast(pl.Int32).alias("char_end"),
        )
    )
    return merge_restatements(figures)


RESTATED_WITHIN = 0.01  # the same figure restated: values within 1 % ("$21 млрд" and "21,1 млрд долларов")
RESTATEMENT_FILLS = ["reference_year", "period_start", "period_end", "source_country", "target_country"]


def merge_restatements(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A figure restated in one document (headline, lead, quote: the same metric, unit and
    countries, values within 1 %) is one row, its first mention, with `n_mentions_in_document`;
    what a later mention adds (the year, the direction) fills what the first leaves out."""
    same = ["document_id", "metric", "unit", "_countries_key"]
    grouped = (
        figures.with_columns(pl.col("countries").list.join(",").alias("_countries_key"))
        .sort(*same, "value")
        .with_columns(
            # a new figure where the value leaves 1 % of the one below it
            (pl.col("value") > pl.col("value").shift(1).over(same) * (1 + RESTATED_WITHIN)).fill_null(True).cum_sum().over(same).alias("_restated")
        )
        .sort("char_start")
    )
    group = [*same, "_restated"]
    return (
        grouped.with_columns(
            pl.len().over(group).cast(pl.Int32).alias("n_mentions_in_document"),
            *[pl.col(name).drop_nulls().first().over(group).alias(name) for name in RESTATEMENT_FILLS],
            pl.int_range(pl.len()).over(group).alias("_mention_rank"),
        )
        .filter(pl.col("_mention_rank") == 0)
        .drop("_countries_key", "_restated", "_mention_rank")
        .sort("document_id", "char_start")
    )
