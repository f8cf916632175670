"""Fixtures of the scale tests: a corpus of the seeds plus real news, and mart hashes."""

from __future__ import annotations

import gzip
import hashlib
import itertools
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SHARED_DIR, copy_seeds

NEWS_RU = SHARED_DIR / "corpus" / "news-ru"
NEWS_ARTICLES = 240  # enough for several batches and every kind of row, small enough to be quick

# Each mart's key, so rows are hashed in key order (the whole row breaks ties).
MART_KEYS = {
    "dim_documents": "document_id",
    "fct_event_mentions": "mention_id",
    "fct_events": "event_id",
    "fct_figure_mentions": "figure_id",
    "investment_figures": "figure_group_id",
}
# Not the data: the extractor's version string (left out, as the issue says) and the time the
# run read the file (two runs read it at two moments).
RUN_COLUMNS = {"extractor_version", "ingested_at"}


def mart_hashes(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(rows, md5 of every row as text in key order) for each table of schema marts."""
    hashes = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()]  # fmt: skip
        for table in tables:
            columns = [row[0] for row in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? order by column_index", [table],
            ).fetchall()]  # fmt: skip
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_COLUMNS)
            key = MART_KEYS.get(table)
            order = f't."{key}", row_text' if key else "row_text"
            rows = con.execute(
                f'select t::varchar as row_text from (select {kept} from marts."{table}") as t '
                f"order by {order}"
            ).fetchall()
            digest = hashlib.md5("\n".join(row[0] for row in rows).encode()).hexdigest()
            hashes[table] = (len(rows), digest)
    return hashes


@pytest.fixture(scope="module")
def seeds_and_news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ plus the first NEWS_ARTICLES lines of a news-ru bulk file, as they are."""
    if not NEWS_RU.is_dir():
        pytest.skip(f"the news-ru corpus is not at {NEWS_RU}")
    folder = copy_seeds(tmp_path_factory.mktemp("corpus") / "source")
    first_file = sorted(NEWS_RU.glob("*.jsonl.gz"))[0]
    with gzip.open(first_file, "rt", encoding="utf-8") as lines:
        articles = list(itertools.islice(lines, NEWS_ARTICLES))
    with gzip.open(folder / "news.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(articles)
    return folder
