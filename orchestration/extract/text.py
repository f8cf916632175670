"""Text primitives over whole columns: find every match with its character offsets, and split
bodies into sentences.

polars has no "find all matches with positions", so `locate` marks each match with a
sentinel (regex `replace_all`, or Aho-Corasick `replace_many` for literal lists), splits on
the sentinel and sums segment lengths: odd segments are the matches, and the running sum gives
their character offsets. One pass in Rust per column, no Python loop over rows.
"""

from __future__ import annotations

import re

import polars as pl

from orchestration.extract.patterns import ABBREVIATION_BEFORE, SENTENCE_BREAK

MAX_SENTENCE_CHARS = 1500  # longer "sentences" are run-on lines; 99.9 % of news sentences are shorter
SENTENCE_SPAN = 1 << 20  # more than any position inside a sentence
MARK = "\x00"  # never in a body: ingest refuses NUL bytes, and `sentences` strips them
# On a batch of documents (regexes, slices and joins per row) polars' streaming engine spends
# about a third more CPU than the in-memory one for the same result (measured on news-ru).
ENGINE = "in-memory"


def materialise(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Compute `frame` once, for steps that read it several times, and go on lazily."""
    return frame.collect(engine=ENGINE).lazy()


def prefilter(pattern: str) -> str:
    """`pattern` without its word boundaries: a superset that polars' regex engine can scan
    with its fast automaton. A Unicode `\\b` forces the slow engine on non-ASCII text (Cyrillic),
    ten to a hundred times slower, so the exact pattern runs only on the rows this one keeps."""
    return pattern.replace(r"\b", "")


def any_of(patterns: list[str]) -> str:
    """One boundary-free pattern matching wherever any of `patterns` might: a single scan
    that narrows the rows before each pattern's own search."""
    # capture names would clash across patterns: make every group non-capturing
    return "|".join(f"(?:{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', prefilter(pattern))})" for pattern in patterns)


def _is_word_char(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null("").str.contains(r"^\w$")


def locate(
    frame: pl.LazyFrame,
    text: str,
    keys: list[str],
    *,
    pattern: str | None = None,
    literals: list[str] | None = None,
    candidates: str | None = None,
    whole_words: bool | None = None,
    byte_offsets: bool = False,
) -> pl.LazyFrame:
    """One row per match of `pattern` (regex) or `literals` (leftmost, first listed wins) in
    column `text`: the `keys` columns, `match`, `match_start`, `match_end` (characters).

    Only rows containing `candidates` (default: the pattern without word boundaries) are
    searched. With `whole_words` (default for literals), a match that starts or ends inside a
    longer word is dropped: boundary-free patterns get their word boundaries back this way.
    With `byte_offsets`, also `match_byte_start` and `match_byte_end` (UTF-8 bytes), for
    `slice_bytes`."""
    if pattern is not None:
        frame = frame.filter(pl.col(text).str.contains(candidates or prefilter(pattern)))
        marked = pl.col(text).str.replace_all(pattern, f"{MARK}$0{MARK}")
    else:
        assert literals is not None
        if candidates is not None:
            frame = frame.filter(pl.col(text).str.contains(candidates))
        # one Aho-Corasick pass marks the literals of every row, and the rows without a mark go:
        # cheaper than a first pass (`contains_any`) to find the rows holding a literal at all
        replaced = pl.col(text).str.replace_many(literals, [f"{MARK}{x}{MARK}" for x in literals], leftmost=True)
        frame = frame.with_columns(replaced.alias("_marked")).filter(pl.col("_marked").str.contains(MARK, literal=True))
        marked = pl.col("_marked")
    # Exploded segments of a row are contiguous: offsets come from running sums (`_offset_in_row`).
    index = pl.int_range(pl.len())
    is_first = pl.col("_row") != pl.col("_row").shift(1).fill_null(-1)
    segments = (
        frame.select(*keys, marked.str.split(MARK).alias("_segments"))
        .with_row_index("_row")
        .explode("_segments")
        .with_columns(pl.col("_segments").str.len_chars().alias("_len"), is_first.alias("_first"), index.alias("_n"))
        .with_columns(
            _offset_in_row("_len").alias("match_start"),
            (pl.col("_n") - pl.when("_first").then(pl.col("_n")).forward_fill()).alias("_i"),
        )
    )
    if byte_offsets:
        segments = segments.with_columns(pl.col("_segments").str.len_bytes().alias("_bytes")).with_columns(
            _offset_in_row("_bytes").alias("match_byte_start")
        )
    bytes_out = [
        pl.col("match_byte_start").cast(pl.Int64),
        (pl.col("match_byte_start") + pl.col("_bytes")).cast(pl.Int64).alias("match_byte_end"),
    ] if byte_offsets else []
    if whole_words if whole_words is not None else literals is not None:
        segment = pl.col("_segments")
        before = pl.when(~pl.col("_first")).then(segment.shift(1).str.slice(-1))
        after = pl.when(~pl.col("_first").shift(-1).fill_null(True)).then(segment.shift(-1).str.slice(0, 1))
        segments = segments.filter(
            (pl.col("_i") % 2 == 0)
            | ~(
                (_is_word_char(before) & _is_word_char(segment.str.slice(0, 1)))
                | (_is_word_char(after) & _is_word_char(segment.str.slice(-1)))
            )
        )
    return (
        segments.filter((pl.col("_i") % 2 == 1) & (pl.col("_len") > 0))
        .select(
            *keys,
            pl.col("_segments").alias("match"),
            pl.col("match_start").cast(pl.Int32),
            (pl.col("match_start") + pl.col("_len")).cast(pl.Int32).alias("match_end"),
            *bytes_out,
        )
    )


def _offset_in_row(length: str) -> pl.Expr:
    """Where each exploded segment starts in its row, in the unit of `length` (characters or
    bytes): a running sum over the whole column minus its value at the row's first segment
    (no per-row window, which is slow)."""
    end = pl.col(length).cum_sum()
    return end - pl.col(length) - pl.when("_first").then(end - pl.col(length)).forward_fill()


def slice_bytes(text: str, byte_start: pl.Expr, byte_end: pl.Expr) -> pl.Expr:
    """Column `text` from `byte_start` to `byte_end` (UTF-8 byte offsets at character
    boundaries): constant time per row, where `str.slice` counts characters from the start of
    the text (quadratic over the sentences of a long body)."""
    return pl.col(text).cast(pl.Binary).bin.slice(byte_start, byte_end - byte_start).cast(pl.String)


def chars_before(text: str, byte_end: pl.Expr, count: int) -> pl.Expr:
    """The last `count` characters of column `text` before byte offset `byte_end` (all of them
    when fewer): a byte window wide enough for `count` characters of up to four bytes, begun at
    the first of its first four bytes that starts a character (not a 10xxxxxx continuation)."""
    binary = pl.col(text).cast(pl.Binary)
    window = (byte_end - (4 * count + 3)).clip(0)

    def starts_a_character(position: pl.Expr) -> pl.Expr:
        return (position == 0) | (binary.bin.get(position, null_on_oob=True) & 0xC0 != 0x80)

    start = pl.when(starts_a_character(window)).then(window)
    for step in (1, 2):
        start = start.when(starts_a_character(window + step)).then(window + step)
    start = start.otherwise(window + 3)
    return binary.bin.slice(start, byte_end - start).cast(pl.String).str.slice(-count)


def _same_sentence(offset: int) -> pl.Expr:
    """The row `offset` rows away is of the same sentence (false past either end)."""
    return (
        (pl.col("document_id") == pl.col("document_id").shift(offset))
        & (pl.col("sentence_index") == pl.col("sentence_index").shift(offset))
    ).fill_null(False)


def previous_in_sentence(expr: pl.Expr) -> pl.Expr:
    """`expr` of the row before, when it is of the same sentence, else null; the frame sorted by
    document_id, sentence_index and position. A `shift(1).over("document_id", "sentence_index")`
    without the window, which over many small groups costs twenty times more."""
    return pl.when(_same_sentence(1)).then(expr.shift(1))


def next_in_sentence(expr: pl.Expr) -> pl.Expr:
    """`expr` of the row after, when it is of the same sentence, else null (see `previous_in_sentence`)."""
    return pl.when(_same_sentence(-1)).then(expr.shift(-1))


def drop_overlaps(frame: pl.LazyFrame, start: str, end: str = "match_end") -> pl.LazyFrame:
    """Where matches of several patterns overlap in a sentence ("7–12 августа" is also
    "12 августа"), keep the earliest, and of those the longest."""
    by = ["document_id", "sentence_index"]
    # the furthest end of the earlier matches of the sentence: a running maximum over the whole
    # sorted frame, each sentence lifted above the ones before it (positions are < SENTENCE_SPAN)
    sentence_number = (~_same_sentence(1)).cum_sum().cast(pl.Int64) * SENTENCE_SPAN
    return (
        frame.sort([*by, start, end], descending=[False, False, False, True])
        .with_columns(sentence_number.alias("_lift"))
        .with_columns(previous_in_sentence((pl.col(end) + pl.col("_lift")).cum_max() - pl.col("_lift")).alias("_prev_end"))
        .filter(pl.col("_prev_end").is_null() | (pl.col(start) >= pl.col("_prev_end")))
        .drop("_prev_end", "_lift")
    )


def _first_of_document() -> pl.Expr:
    return (pl.col("document_id") != pl.col("document_id").shift(1)).fill_null(True)


def _cum_sum_in_document(expr: pl.Expr) -> pl.Expr:
    """`expr.cum_sum().over("document_id")` on a frame sorted by document_id: one running sum
    over the whole column minus its value before the document's first row (no window)."""
    total = expr.cum_sum()
    return total - pl.when(_first_of_document()).then(total - expr).forward_fill()


def _index_in_document() -> pl.Expr:
    """`int_range(len()).over("document_id")` on a frame sorted by document_id, without the window."""
    row = pl.int_range(pl.len())
    return row - pl.when(_first_of_document()).then(row).forward_fill()


def sentences(documents: pl.LazyFrame) -> pl.LazyFrame:
    """Split `body` into sentences: document_id, sentence_index, paragraph_index, char_start,
    char_end (offsets into the body), sentence."""
    bodies = documents.select("document_id", pl.col("body").str.replace_all(MARK, " ", literal=True))
    # cuts are kept in characters (the sentences' offsets) and in bytes (to slice the body)
    end_bytes = pl.col("match_byte_start") + pl.col("end").str.len_bytes()
    breaks = (
        locate(bodies, "body", ["document_id", "body"], pattern=SENTENCE_BREAK, byte_offsets=True)
        .with_columns(pl.col("match").str.extract_groups(SENTENCE_BREAK).alias("_g"))
        .unnest("_g")
        .with_columns(
            pl.when(pl.col("newline").is_not_null())
            .then(pl.col("match_start"))
            .otherwise(pl.col("match_start") + pl.col("end").str.len_chars())
            .alias("cut"),
            pl.when(pl.col("newline").is_not_null())
            .then(pl.col("match_end"))
            .otherwise(pl.col("match_start") + pl.col("end").str.len_chars() + pl.col("space").str.len_chars())
            .alias("next_start"),
            pl.when(pl.col("newline").is_not_null()).then(pl.col("match_byte_start")).otherwise(end_bytes).alias("cut_byte"),
            pl.when(pl.col("newline").is_not_null())
            .then(pl.col("match_byte_end"))
            .otherwise(end_bytes + pl.col("space").str.len_bytes())
            .alias("next_start_byte"),
            pl.col("newline").is_not_null().alias("is_paragraph"),
            # the few characters before a full stop tell an initial or abbreviation from a sentence end
            chars_before("body", pl.col("match_byte_start"), 6).alias("_before"),
        )
        .filter(
            pl.col("is_paragraph")
            | ~(pl.col("end").str.starts_with(".") & pl.col("_before").str.contains(ABBREVIATION_BEFORE))
        )
        .select(
            "document_id",
            pl.col("cut").cast(pl.Int32),
            pl.col("next_start").cast(pl.Int32),
            "cut_byte",
            "next_start_byte",
            "is_paragraph",
        )
    )
    starts = pl.concat(
        [
            bodies.select(
                "document_id",
                pl.lit(0).cast(pl.Int32).alias("char_start"),
                pl.lit(0).cast(pl.Int64).alias("byte_start"),
                pl.lit(False).alias("is_paragraph"),
            ),
            breaks.select("document_id", pl.col("next_start").alias("char_start"), pl.col("next_start_byte").alias("byte_start"), "is_paragraph"),
        ]
    )
    ends = pl.concat(
        [
            breaks.select("document_id", pl.col("cut").alias("char_end"), pl.col("cut_byte").alias("byte_end")),
            bodies.select(
                "document_id",
                pl.col("body").str.len_chars().cast(pl.Int32).alias("char_end"),
                pl.col("body").str.len_bytes().cast(pl.Int64).alias("byte_end"),
            ),
        ]
    )
    # every document has as many starts as ends (one per break, one for the body): sorted alike,
    # the n-th start and the n-th end of a document stand on the same row
    spans = (
        pl.concat([starts.sort("document_id", "char_start"), ends.sort("document_id", "char_end").drop("document_id")], how="horizontal")
        .with_columns(_cum_sum_in_document(pl.col("is_paragraph").cast(pl.Int32)).alias("paragraph_index"))
        .join(bodies, on="document_id", maintain_order="left")
        # the span's text by its byte offsets, before it is cut into pieces by characters below
        .with_columns(slice_bytes("body", pl.col("byte_start"), pl.col("byte_end")).alias("_span"), pl.col("char_start").alias("_span_start"))
        # a run-on line (a table, a list without full stops) is cut into pieces: the work per
        # mention grows with its sentence's length, so an endless sentence would cost its square
        .with_columns(
            pl.int_ranges("char_start", pl.max_horizontal("char_end", pl.col("char_start") + 1), MAX_SENTENCE_CHARS).alias("_piece")
        )
        .explode("_piece")
        .with_columns(
            pl.col("_piece").cast(pl.Int32).alias("char_start"),
            pl.min_horizontal(pl.col("_piece") + MAX_SENTENCE_CHARS, "char_end").cast(pl.Int32).alias("char_end"),
        )
        .with_columns(pl.col("_span").str.slice(pl.col("char_start") - pl.col("_span_start"), pl.col("char_end") - pl.col("char_start")).alias("_raw"))
        # trim the whitespace around each sentence, keeping offsets exact
        .with_columns(
            (pl.col("_raw").str.len_chars() - pl.col("_raw").str.strip_chars_start().str.len_chars()).alias("_lead"),
            pl.col("_raw").str.strip_chars().alias("sentence"),
        )
        .filter(pl.col("sentence").str.len_chars() > 0)
        .with_columns(
            (pl.col("char_start") + pl.col("_lead")).cast(pl.Int32).alias("char_start"),
        )
        .with_columns((pl.col("char_start") + pl.col("sentence").str.len_chars()).cast(pl.Int32).alias("char_end"))
        # still sorted by document and char_start: the spans were, and each one's pieces follow in order
        .with_columns(_index_in_document().cast(pl.Int32).alias("sentence_index"))
    )
    return spans.select(
        "document_id", "sentence_index", pl.col("paragraph_index").cast(pl.Int32), "char_start", "char_end", "sentence"
    )
