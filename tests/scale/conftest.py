"""Fixtures of the scale tests: a corpus of the seeds plus real news."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest

from tests.conftest import SHARED_DIR, copy_seeds

NEWS_RU = SHARED_DIR / "corpus" / "news-ru"
NEWS_ARTICLES = 240  # enough for several batches and every kind of row, small enough to be quick


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
