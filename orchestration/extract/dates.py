"""Date expressions in sentences, resolved to calendar dates.

A day and month without a year take the article's year (the year before when that would put a
past event well after publication); without an article date, the last year the text named
before it (never one named further on: that year belongs to another event), else none.
Relative expressions ("накануне", "месяцем ранее") count from the last date named before them
in the same paragraph, else from the article's date.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.patterns import (
    DATE_PATTERNS,
    DATELINE_BEFORE,
    MONTHS_EN,
    MONTHS_RU,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    RELATIVE_YEARS,
    WEEKDAYS,
)
from orchestration.extract.text import any_of, drop_overlaps, locate, materialise

KEYS = ["document_id", "sentence_index", "paragraph_index", "char_start", "sentence"]
# "накануне визита" names the visit, it does not date it
REFERS_TO_EVENT = r"(?i)^\s*(?:визит|переговор|саммит|встреч|поездк|visit|talks|summit|meeting|trip)"


DAY_KINDS = ["day", "day_range", "day_month_range", "numeric", "en_month_day", "en_day_month"]  # a day of a month


def _month_number(column: str) -> pl.Expr:
    """'августа', 'августе', 'Aug.' -> 8."""
    word = pl.col(column).str.to_lowercase().str.strip_chars(".")
    expr = pl.lit(None, dtype=pl.Int32)
    for stem, number in sorted(MONTHS_RU.items(), key=lambda kv: len(kv[0])):
        expr = pl.when(word.str.starts_with(stem) & (word.str.len_chars() <= len(stem) + 3)).then(pl.lit(number, dtype=pl.Int32)).otherwise(expr)
    for name, number in MONTHS_EN.items():
        expr = pl.when(word == name).then(pl.lit(number, dtype=pl.Int32)).otherwise(expr)
    return expr


def _date(year: pl.Expr, month: pl.Expr, day) -> pl.Expr:
    """A date, or NULL where the parts make none (31 February, month 13)."""
    year, month, day = (x if isinstance(x, pl.Expr) else pl.lit(x) for x in (year, month, day))
    return pl.format("{}-{}-{}", year, month, day).str.to_date("%Y-%m-%d", strict=False)


def _matches(sentences: pl.LazyFrame, kind: str, pattern: str) -> pl.LazyFrame:
    frame = (
        locate(sentences, "sentence", KEYS, pattern=pattern)
        .with_columns(pl.col("match").str.extract_groups(pattern).alias("_g"))
        .unnest("_g")
    )
    columns = frame.collect_schema().names()

    def group(name: str) -> pl.Expr:
        return pl.col(name) if name in columns else pl.lit(None, dtype=pl.String)

    return frame.select(
        *KEYS[:4],
        pl.lit(kind).alias("kind"),
        "match",
        pl.col("match_start").alias("pos"),
        "match_end",
        group("d1").cast(pl.Int32, strict=False).alias("d1"),
        group("d2").cast(pl.Int32, strict=False).alias("d2"),
        group("mon").alias("mon"),
        group("mon1").alias("mon1"),
        group("mn").cast(pl.Int32, strict=False).alias("mn"),
        group("y").cast(pl.Int32, strict=False).alias("y"),
        group("n").str.to_lowercase().alias("n"),
        group("rel").str.to_lowercase().alias("rel"),
        pl.coalesce(group("wd"), group("wd2")).str.to_lowercase().alias("wd"),
        pl.col("sentence").str.slice(pl.col("match_end"), 20).alias("_after"),
        # "ASTANA, Dec 3 (Reuters) -", "МОСКВА, 12 ноября. /ТАСС/.": the filing date, not an event's
        pl.col("sentence").str.slice(0, pl.col("match_start")).str.contains(DATELINE_BEFORE).alias("is_dateline"),
    )


def date_mentions(sentences: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """One row per date expression: document_id, sentence_index, paragraph_index, pos,
    match_end, kind, start_date, end_date, precision ('day', 'month', 'year'), explicit_year."""
    # one scan for the sentences that may hold a date, then each pattern on those only
    candidates = sentences.filter(pl.col("sentence").str.contains(any_of([p for _, p in DATE_PATTERNS]))).pipe(materialise)
    raw = pl.concat([_matches(candidates, kind, pattern) for kind, pattern in DATE_PATTERNS], how="vertical")
    raw = drop_overlaps(raw, "pos").filter(
        ~((pl.col("kind") == "relative_day") & pl.col("_after").str.contains(REFERS_TO_EVENT))
    )
    published = documents.select("document_id", pl.col("published_at").alias("_published"))
    month = pl.coalesce(pl.col("mn"), _month_number("mon"))
    month1 = pl.coalesce(_month_number("mon1"), month)
    n_months = pl.col("n").replace_strict(
        {**{k: str(v) for k, v in NUMBER_WORDS.items()}, **{str(i): str(i) for i in range(1, 13)}}, default=None
    ).cast(pl.Float64).cast(pl.Int32)
    resolved = (
        raw.join(published, on="document_id", how="left")
        .with_columns(
            month.alias("_month"),
            month1.alias("_month1"),
            pl.col("rel").replace_strict(RELATIVE_YEARS, default=None, return_dtype=pl.Int32).alias("_rel_year"),
            pl.col("rel").replace_strict(RELATIVE_DAYS, default=None, return_dtype=pl.Int32).alias("_rel_days"),
        )
        .sort("document_id", "sentence_index", "pos")
        # for day-month dates in an undated article: the year of the last day the text dated in
        # full ("1 ноября 2017 года, … 16 октября"), else the last year it named ("в 2016 году")
        .with_columns(
            pl.when(pl.col("kind").is_in(DAY_KINDS)).then(pl.col("y")).forward_fill().over("document_id").alias("_last_day_year"),
            pl.col("y").forward_fill().over("document_id").alias("_last_year"),
        )
        .with_columns(
            pl.coalesce(
                pl.col("y"),
                pl.col("_published").dt.year() + pl.col("_rel_year"),
                pl.col("_published").dt.year(),
                pl.col("_last_day_year"),
                pl.col("_last_year"),
            ).alias("_year"),
            pl.col("y").is_not_null().alias("explicit_year"),
        )
        .with_columns(
            pl.when(pl.col("kind").is_in(DAY_KINDS))
            .then(_date(pl.col("_year"), pl.col("_month1"), pl.col("d1")))
            .when(pl.col("kind").is_in(["month", "en_month", "month_range"]))
            .then(_date(pl.col("_year"), pl.col("_month1"), 1))
            .when(pl.col("kind") == "months_of_year")
            .then(_date(pl.col("_year"), 1, 1))
            .when(pl.col("kind").is_in(["year", "relative_year"]))
            .then(_date(pl.col("_year"), 1, 1))
            .alias("start_date"),
            pl.when(pl.col("kind").is_in(["day_range", "day_month_range", "en_month_day", "en_day_month"]) & pl.col("d2").is_not_null())
            .then(_date(pl.col("_year"), pl.col("_month"), pl.col("d2")))
            .when(pl.col("kind").is_in(["day", "numeric", "en_month_day", "en_day_month"]))
            .then(_date(pl.col("_year"), pl.col("_month1"), pl.col("d1")))
            .when(pl.col("kind").is_in(["month", "en_month", "month_range"]))
            .then(_date(pl.col("_year"), pl.col("_month"), 1).dt.month_end())
            .when(pl.col("kind") == "months_of_year")
            .then(_date(pl.col("_year"), n_months.clip(1, 12), 1).dt.month_end())
            .when(pl.col("kind").is_in(["year", "relative_year"]))
            .then(_date(pl.col("_year"), 12, 31))
            .alias("end_date"),
            pl.col("kind")
            .replace_strict(
                {"month": "month", "en_month": "month", "month_range": "month", "months_of_year": "month",
                 "year": "year", "relative_year": "year"},
                default="day",
            )
            .alias("precision"),
        )
        # A day-month with no year printed that lands over a month after publication is last year's.
        .with_columns(
            pl.when(
                ~pl.col("explicit_year")
                & (pl.col("precision") == "day")
                & pl.col("_published").is_not_null()
                & (pl.col("start_date") > pl.col("_published").dt.offset_by("31d"))
            )
            .then(pl.col("start_date").dt.offset_by("-1y"))
            .otherwise(pl.col("start_date"))
            .alias("start_date"),
        )
    )
    # Relative days count from the last day-precise date before them in the paragraph.
    resolved = (
        resolved.with_columns(
            pl.when((pl.col("precision") == "day") & pl.col("_rel_days").is_null())
            .then(pl.col("start_date"))
            .forward_fill()
            .over(["document_id", "paragraph_index"])
            .alias("_anchor")
        )
        .with_columns(
            pl.when(pl.col("_rel_days").is_not_null())
            .then(pl.coalesce(pl.col("_anchor").shift(1).over(["document_id", "paragraph_index"]), pl.col("_published")).dt.offset_by(pl.format("{}d", pl.col("_rel_days"))))
            .otherwise(pl.col("start_date"))
            .alias("start_date")
        )
        .with_columns(
            pl.when(pl.col("_rel_days").is_not_null()).then(pl.col("start_date")).otherwise(pl.col("end_date")).alias("end_date"),
            pl.when(pl.col("_rel_days").abs() >= 30).then(pl.lit("month")).otherwise(pl.col("precision")).alias("precision"),
        )
    )
    # a weekday is the last such day on or before the article's date
    weekday = pl.col("wd").replace_strict(WEEKDAYS, default=None, return_dtype=pl.Int32)
    days_back = (pl.col("_published").dt.weekday().cast(pl.Int32) - weekday + 7) % 7
    resolved = resolved.with_columns(
        pl.when(pl.col("kind") == "weekday").then(pl.col("_published").dt.offset_by(pl.format("-{}d", days_back))).otherwise(pl.col("start_date")).alias("start_date"),
    ).with_columns(
        pl.when(pl.col("kind") == "weekday").then(pl.col("start_date")).otherwise(pl.col("end_date")).alias("end_date"),
    )
    return resolved.filter(pl.col("start_date").is_not_null()).select(
        "document_id", "sentence_index", "paragraph_index", "pos", "match_end", "kind", "match",
        "start_date", "end_date", "precision", "explicit_year", "is_dateline",
    )
