"""JSON Lines bulk files (`*.jsonl`, `*.jsonl.gz`): one article per line, streamed in batches.

Each batch of lines (a few MB of decompressed bytes) is parsed by polars in one call; only a
batch that fails is split in halves, again and again, down to the broken lines, so that a
broken line costs an error row and never the good lines around it. Memory stays bounded by
the batch size whatever the size of the file.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.ingest.files import MB, describe_os_error
from orchestration.ingest.front_matter import METADATA_FIELDS

# Text longer than this in one record is refused (per article; the file may be any size).
MAX_ARTICLE_BYTES = 2 * MB
# A line longer than this is skipped without parsing (JSON escapes can make a line several
# times longer than its text, so this is well above MAX_ARTICLE_BYTES).
MAX_LINE_BYTES = 16 * MB

BATCH_BYTES = 8 * MB
READ_BYTES = 1 * MB

TEXT_FIELDS = ("text", "content")
# Every field read from a record, as text (polars renders numbers, lists and objects as
# text when a schema says String; keys not listed are ignored).
RECORD_SCHEMA = {name: pl.String for name in (*TEXT_FIELDS, *METADATA_FIELDS)}


@dataclass
class BulkResult:
    records: list[pl.DataFrame] = field(default_factory=list)  # RECORD_SCHEMA + source_line
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (line, reason)


def read_bulk_file(path: Path, compressed: bool) -> BulkResult:
    """Parse a JSON Lines file; problems become (line, reason) errors, never exceptions."""
    result = BulkResult()
    try:
        with open(path, "rb") as handle:
            chunks = _gunzip_chunks(handle) if compressed else _plain_chunks(handle)
            for first_line, batch in _line_batches(chunks, result.errors):
                _parse_batch(batch, first_line, result)
    except _StreamEnded as ended:
        # Lines completed before the damage are already parsed; the rest is lost.
        result.errors.append((ended.line, ended.reason))
    except OSError as err:  # cannot open, or a read failed midway (lines before it stay)
        result.errors.append((None, describe_os_error(err)))
    if not result.errors and sum(frame.height for frame in result.records) == 0:
        result.errors.append((None, "empty file: no JSON lines"))
    return result


class _StreamEnded(Exception):
    """The byte stream broke off; `line` is where (None when the whole file is unusable)."""

    def __init__(self, reason: str, whole_file: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.whole_file = whole_file
        self.line: int | None = None


def _plain_chunks(handle: io.BufferedReader) -> Iterator[bytes]:
    while chunk := handle.read(READ_BYTES):
        yield chunk


def _gunzip_chunks(handle: io.BufferedReader) -> Iterator[bytes]:
    """Decompressed bytes of a gzip file (several members allowed), as far as they go.

    A truncated or corrupt stream yields everything decodable before the damage, then
    raises _StreamEnded; zlib here (not gzip.open) so that no decoded byte is dropped.
    """
    inflater = zlib.decompressobj(wbits=31)
    seen_input = False
    while compressed := handle.read(READ_BYTES):
        if not seen_input and not compressed.startswith(b"\x1f\x8b"):
            raise _StreamEnded("not a gzip file (rename it .jsonl if it is plain text)", whole_file=True)
        seen_input = True
        pending = compressed
        while pending:
            try:
                # max_length keeps a decompression bomb from inflating all at once.
                out = inflater.decompress(pending, BATCH_BYTES)
            except zlib.error as err:
                raise _StreamEnded(f"corrupt gzip data ({err}); lines before it were loaded") from err
            if out:
                yield out
            if inflater.eof:
                pending = inflater.unused_data
                if pending.strip(b"\x00"):
                    inflater = zlib.decompressobj(wbits=31)  # next gzip member
                else:
                    pending = b""
            else:
                pending = inflater.unconsumed_tail
    if not seen_input:
        return
    while not inflater.eof and (out := inflater.flush()):
        yield out
    if not inflater.eof:
        raise _StreamEnded(
            "truncated gzip file: the compressed stream ends early; lines before it were loaded"
        )


def _line_batches(chunks: Iterator[bytes], errors: list) -> Iterator[tuple[int, bytes]]:
    """(number of the batch's first line, bytes of whole lines), about BATCH_BYTES each."""
    buffer = bytearray()
    next_line = 1
    skipping = False  # inside an over-long line: drop bytes until its newline
    at_start = True
    try:
        for chunk in chunks:
            if at_start:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")  # UTF-8 BOM
                at_start = False
            if skipping:
                cut = chunk.find(b"\n")
                if cut < 0:
                    continue
                chunk, skipping = chunk[cut + 1 :], False
                next_line += 1
            buffer += chunk
            if len(buffer) < BATCH_BYTES:
                continue
            cut = buffer.rfind(b"\n")
            if cut < 0:
                if len(buffer) > MAX_LINE_BYTES:
                    errors.append((next_line, f"line longer than {MAX_LINE_BYTES:,} bytes: skipped"))
                    buffer.clear()
                    skipping = True
                continue
            batch = bytes(buffer[: cut + 1])
            del buffer[: cut + 1]
            yield next_line, batch
            next_line += batch.count(b"\n")
    except _StreamEnded as ended:
        # The partial line at the break is not parsed: it is the truncation's error row.
        if buffer.rfind(b"\n") >= 0:
            cut = buffer.rfind(b"\n")
            batch = bytes(buffer[: cut + 1])
            yield next_line, batch
            next_line += batch.count(b"\n")
        if not ended.whole_file:
            ended.line = next_line
        raise
    if buffer and not skipping:
        yield next_line, bytes(buffer)


def _parse_batch(batch: bytes, first_line: int, result: BulkResult) -> None:
    body = batch[:-1] if batch.endswith(b"\n") else batch
    if not body:
        return
    frame = _try_parse(body)
    if frame is not None:
        n_lines = body.count(b"\n") + 1
        if frame.height == n_lines:
            result.records.append(_numbered(frame, range(first_line, first_line + n_lines)))
            return
        # The parser skips blank lines: number the others (rare, so split only here).
        numbers = [first_line + i for i, line in enumerate(body.split(b"\n")) if line.strip()]
        if len(numbers) == frame.height:
            result.records.append(_numbered(frame, numbers))
            return
    lines = [(first_line + i, line) for i, line in enumerate(body.split(b"\n")) if line.strip()]
    _parse_lines(lines, result)


def _parse_lines(lines: list[tuple[int, bytes]], result: BulkResult) -> None:
    """Parse numbered lines, halving any group polars rejects until the bad lines are alone."""
    if not lines:
        return
    frame = _try_parse(b"\n".join(line for _, line in lines))
    if frame is not None and frame.height == len(lines):
        result.records.append(_numbered(frame, [number for number, _ in lines]))
    elif len(lines) == 1:
        number, line = lines[0]
        result.errors.append((number, _why_unparseable(line)))
    else:
        middle = len(lines) // 2
        _parse_lines(lines[:middle], result)
        _parse_lines(lines[middle:], result)


def _try_parse(data: bytes) -> pl.DataFrame | None:
    try:
        return pl.read_ndjson(io.BytesIO(data), schema=RECORD_SCHEMA)
    except (pl.exceptions.PolarsError, ValueError):
        return None


def _numbered(frame: pl.DataFrame, numbers) -> pl.DataFrame:
    return frame.with_columns(pl.Series("source_line", list(numbers), dtype=pl.Int32))


def _why_unparseable(line: bytes) -> str:
    """A readable reason for one line polars refused (diagnosis only, on the error path)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"line is not UTF-8 (invalid byte 0x{line[err.start]:02x} at column {err.start + 1})"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        return f"invalid JSON: {err.msg} at column {err.colno}"
    if not isinstance(value, dict):
        return f"JSON line is not an object (got {type(value).__name__})"
    return "JSON object could not be read"
