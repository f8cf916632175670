"""An incremental refresh builds the same marts as a full build from scratch.

A refresh with one new article extracts that article alone and rebuilds only what reads the
raw tables (`dbt build --select source:raw+`); one that prunes an article removes its rows.
Either way every mart must be what a full build of the same folder into an empty warehouse
gives: the hash of every mart in key order (benchmarks.marts, the run's own columns left
out) must match.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.marts import mart_hashes

NEW_ARTICLE = (
    "Президент Узбекистана Шавкат Мирзиёев провёл переговоры с президентом Казахстана "
    "Касым-Жомартом Токаевым в Ташкенте 14 октября 2025 года. Стороны подписали 12 "
    "соглашений; товарооборот превысил 4 млрд долларов.\n"
)


def _full_build(refresh, source: Path, root: Path) -> Path:
    warehouse = root / "attache.duckdb"
    refresh(source, warehouse)
    return warehouse


def test_add_then_prune_an_article_matches_full_builds(tmp_path: Path, built_warehouse: Path, refresh):
    source = shutil.copytree(built_warehouse.parent.parent / "source", tmp_path / "source")
    warehouse = tmp_path / "incremental" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)

    added = source / "zz_new_article.txt"
    added.write_text(NEW_ARTICLE, encoding="utf-8")
    assert refresh(source, warehouse).new_documents == 1
    with_article = mart_hashes(warehouse)
    assert with_article == mart_hashes(_full_build(refresh, source, tmp_path / "full"))
    assert with_article != mart_hashes(built_warehouse)  # the article reached the marts

    added.unlink()
    refresh(source, warehouse, prune=True)
    assert mart_hashes(warehouse) == mart_hashes(built_warehouse)
