"""Keys: one documented, version-independent scheme for every key of the contract.

    key = md5 hex digest of the UTF-8 text of the named fields, each as text (NULL as the
          empty string), joined by chr(31) (the ASCII unit separator)

A field's text: strings as they are, integers in decimal, dates as ISO 8601 (YYYY-MM-DD),
lists of codes joined by ',' in their (sorted) order. No floats: their text form depends on
the library that prints them. The same key is computed in Python (`stable_key`,
`key_expr`, for `mention_id` and `figure_id`) and in DuckDB SQL by the dbt macro
`stable_key` (`dbt_project/macros/stable_key.sql`, for `entity_mention_id`, `event_id`,
`figure_group_id`): `md5(concat_ws(chr(31), coalesce(cast(x as varchar), ''), ...))`.
Unlike polars' `Expr.hash()`, whose values change between polars versions, md5 is fixed
forever; `tests/unit/test_keys.py` pins known keys to literal values.

`document_id` is the content hash the other keys build on: the first 16 hex digits of the
sha256 of the normalised body (`orchestration.ingest.documents`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import polars as pl

SEPARATOR = "\x1f"  # chr(31)


def field_text(value: object) -> str:
    """The text a field contributes to a key (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("booleans have no agreed text form in keys; use a string")
    if isinstance(value, float):
        raise TypeError("floats have no stable text form; key on offsets or codes instead")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(field_text(item) for item in value)
    return str(value)


def stable_key(*fields: object) -> str:
    """md5 hex of the fields' texts joined by chr(31)."""
    return _md5(SEPARATOR.join(field_text(value) for value in fields))


def key_expr(*fields: str | pl.Expr) -> pl.Expr:
    """The same key as a polars expression over columns (names or expressions).

    Strings, integers and dates cast to String give the texts above; a list column must be
    joined first (`pl.col("participants").list.join(",")`)."""
    texts = [
        (pl.col(field) if isinstance(field, str) else field).cast(pl.String).fill_null("")
        for field in fields
    ]
    joined = pl.concat_str(texts, separator=SEPARATOR)
    return joined.map_batches(_md5_series, return_dtype=pl.String, is_elementwise=True)


def _md5_series(texts: pl.Series) -> pl.Series:
    return pl.Series(texts.name, _md5_all(texts), dtype=pl.String)


def _md5_all(texts: Iterable[str | None]) -> list[str | None]:
    return [None if text is None else _md5(text) for text in texts]


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
