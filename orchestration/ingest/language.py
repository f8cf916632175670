"""Language of a body when its metadata does not say: a cheap script count."""

from __future__ import annotations

import polars as pl


def guess_language(body: pl.Expr) -> pl.Expr:
    """'ru' when Cyrillic letters are at least half of the letters, 'en' when Latin letters
    dominate, NULL when the text has no letters (Cyrillic texts in other languages are
    rare here and count as 'ru')."""
    cyrillic = body.str.count_matches(r"\p{Cyrillic}")
    latin = body.str.count_matches(r"\p{Latin}")
    return (
        pl.when((cyrillic > 0) & (cyrillic >= latin))
        .then(pl.lit("ru"))
        .when(latin > cyrillic)
        .then(pl.lit("en"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
