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

from orchestration.extract.entities import countries_by_sentence
from orchestration.extract.patterns import (
    CITATION,
    CURRENCIES,
    FLOW,
    GROWTH,
    INTO,
    METRIC_KEYWORD_AFTER,
    RECIPIENT_BEFORE,
    REGION,
    METRIC_KEYWORD,
    METRIC_OF_KEYWORD,
    MONEY,
    MONEY_CANDIDATES,
    MONEY_IN_WORDS,
    NATIONAL_CURRENCY,
    NUMBER_WORDS,
    PERCENT,
    QUALIFIER,
    QUALIFIERS,
    SCALES,
    STOCK,
    TRADE,
)
from orchestration.extract.text import drop_overlaps, locate, materialise, next_in_sentence, previous_in_sentence
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


def find_amounts(sentences: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """Money amounts and percentages with their value and unit (a scale alone borrows the
    currency of the amount before it in the paragraph)."""
    language = documents.select("document_id", "language")
    groups = ["sym", "num", "sym2", "scale", "cur"]
    found = [
        locate(sentences, "sentence", KEYS, pattern=pattern, candidates=candidates, whole_words=True)
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
            _number(pl.col("num"), (pl.col("language") == "en") | pl.col("sym").is_not_null()).alias("_number"),
            _scale(pl.col("scale")).alias("scale"),
            pl.col("scale").is_not_null().alias("_has_scale"),
        )
        # a scale with nothing after it borrows the currency of the figure before ("превысил 27 млрд.")
        .filter(
            pl.col("unit").is_not_null()
            | (pl.col("_has_scale") & pl.col("_after").str.contains(r"^\s*(?:[.,;:)»!?]|$)"))
        )
        .with_columns(pl.lit("money").alias("_kind"))
    )
    percent = (
        locate(sentences, "sentence", KEYS, pattern=PERCENT, whole_words=True)
        .with_columns(pl.col("match").str.extract_groups(PERCENT).alias("_g"))
        .unnest("_g")
        .with_columns(
            pl.lit("percent").alias("unit"),
            _number(pl.col("num"), pl.lit(False)).alias("_number"),
            pl.lit(1.0).alias("scale"),
            pl.lit("percent").alias("_kind"),
            pl.lit("percent").alias("_amount_rule"),
        )
    )
    columns = [*KEYS, "match", "match_start", "match_end", "unit", "_number", "scale", "_kind", "_amount_rule"]
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
    )
    return amounts


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
    # the metric's keyword: the last one that ends before the number
    keywords = (
        locate(sentences.join(amounts.select(by).unique(), on=by, how="semi"), "sentence", by, pattern=METRIC_KEYWORD)
        .select(*by, pl.col("match").str.to_lowercase().alias("_kw"), pl.col("match_start").alias("_kw_pos"), pl.col("match_end").alias("_kw_end"))
        .sort("_kw_end")
    )
    amounts = amounts.sort("match_start").join_asof(
        keywords, left_on="match_start", right_on="_kw_end", by=by, strategy="backward", check_sortedness=False
    )
    amounts = amounts.sort(*by, "match_start").with_columns(
        prefix.str.slice(pl.max_horizontal(pl.col("match_start") - 45, 0)).str.extract(QUALIFIER, 1).str.to_lowercase().alias("_q"),
    ).with_columns(
        _first_match(pl.col("_q"), QUALIFIERS).fill_null("exact").alias("qualifier"),
        _first_match(pl.col("_kw"), METRIC_OF_KEYWORD).alias("_metric_kw_before"),
        _first_match(
            pl.col("sentence").str.slice(pl.col("match_end"), 60).str.extract(METRIC_KEYWORD_AFTER, 1).str.to_lowercase(),
            METRIC_OF_KEYWORD,
        ).alias("_metric_kw_after"),
        # the words from just before the keyword (or from the figure before in the sentence) to the
        # number: "российские инвестиции в Казахстан превысил 27"
        pl.max_horizontal(
            pl.coalesce(pl.col("_kw_pos") - 30, pl.col("match_start") - 60).clip(0),
            previous_in_sentence(pl.col("match_end")).fill_null(0),
        ).alias("_scope_start"),
    ).with_columns(pl.coalesce("_metric_kw_before", "_metric_kw_after").alias("_metric_kw")).pipe(materialise)

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
            .when(pl.col("_metric_kw_before").is_not_null())
            .then(pl.lit("keyword_before"))
            .when(pl.col("_metric_kw_after").is_not_null())
            .then(pl.lit("keyword_after"))
            .otherwise(pl.lit("no_keyword"))
            .alias("_metric_cue"),
        )
        .with_columns(
            pl.when(pl.col("_metric_cue") == "national_currency_cue")
            .then(pl.lit("national_currency_share"))
            .when(pl.col("_metric_cue") == "growth_and_trade_cue")
            .then(pl.lit("trade_growth"))
            .when(pl.col("unit") == "percent")
            .then(pl.lit("other"))
            .when(pl.col("_metric_kw") == "investment")
            .then(
                pl.when(
                    (pl.col("period_start").is_not_null() | pl.col("sentence").str.contains(FLOW))
                    & ~pl.col("sentence").str.slice(pl.col("_scope_start"), pl.col("match_start") - pl.col("_scope_start")).str.contains(STOCK)
                )
                .then(pl.lit("investment_flow"))
                .otherwise(pl.lit("investment_stock"))
            )
            .otherwise(pl.coalesce(pl.col("_metric_kw"), pl.lit("other")))
            .alias("metric"),
            pl.col("period_start").dt.year().cast(pl.Int32).alias("reference_year"),
        )
        # A percentage is an economic figure only under a trade or settlement cue: the rest are
        # polls, results, rates and shares of anything ("89 %" of a match, a party's 12 %).
        # On the dev split of the news-ru development set they were 68 rows, none a gold figure.
        .filter((pl.col("unit") != "percent") | (pl.col("_metric_cue") != "no_cue"))
        .with_columns(
            # direction only where money moves: investment, aid
            pl.when(pl.col("metric").is_in(["investment_flow", "investment_stock", "aid_or_loan"]))
            .then(
                pl.coalesce(
                    pl.col("_source"),
                    pl.when(pl.col("countries").list.len() == 2).then(pl.col("countries").list.set_difference(pl.concat_list("_target")).list.first()),
                )
            )
            .alias("source_country"),
        )
        .with_columns(
            pl.when(pl.col("metric").is_in(["investment_flow", "investment_stock", "aid_or_loan"]))
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
    return figures
