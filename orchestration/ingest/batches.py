"""Files to read, in groups that bound a refresh's memory.

A refresh reads and lands the files it must read one group at a time: a group is consecutive
files (in source-name order, the order in which a document's first copy is chosen) of at most
`max_bytes` on disk, or one file when a file alone is larger. Memory then follows the largest
group, not the corpus: a file larger than a group is a group of its own, so a single huge
bulk file still costs its size (split wire copy into files of a few thousand articles).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

# 16 MB on disk: about 4,500 news articles gzipped (50 MB of text), which ingest holds in
# about 500 MB (raw text, clean body and their intermediate columns: ~10x the text).
MAX_GROUP_BYTES = 16 * 1024 * 1024


def file_groups(scanned: pl.DataFrame, names: Sequence[str], max_bytes: int | None = None) -> list[list[str]]:
    """`names` (sorted, without repeats) in consecutive groups of at most `max_bytes` (default
    MAX_GROUP_BYTES) by the sizes in `scanned` (schemas.SOURCE_FILES; unknown size counts 0)."""
    max_bytes = MAX_GROUP_BYTES if max_bytes is None else max_bytes
    sizes = dict(
        scanned.select("source_name", pl.col("size_bytes").fill_null(0)).iter_rows()
    )
    groups: list[list[str]] = []
    group_bytes = 0
    for name in sorted(set(names)):
        size = sizes.get(name, 0)
        if not groups or (group_bytes + size > max_bytes and groups[-1]):
            groups.append([])
            group_bytes = 0
        groups[-1].append(name)
        group_bytes += size
    return groups
