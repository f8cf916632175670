"""A refresh costs work in proportion to what is new.

On a copy of seeds/: one new article is the only document extracted (the others keep their
rows and `extracted_at`), and dbt builds only what reads the raw tables (not the seeds); a
refresh with nothing new skips `dbt build` and leaves the published file as it was; editing
the dbt project makes the next refresh build everything again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import landing
from orchestration.dbt import DBT_PROJECT_DIR, project_digest

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
NEW_ARTICLE = (
    "Президент Узбекистана Шавкат Мирзиёев провёл телефонный разговор с президентом "
    "Казахстана Касым-Жомартом Токаевым 12 ноября 2025 года. Стороны обсудили торговлю.\n"
)


def extraction_stamps(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select document_id, extracted_at from raw.documents").fetchall())


def built_nodes(project_dir: Path) -> set[str]:
    """unique_ids of the nodes the last `dbt build` of the project ran."""
    results = json.loads((project_dir / "target" / "build" / "run_results.json").read_text(encoding="utf-8"))
    return {result["unique_id"] for result in results["results"]}


def identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, dbt_manifest):
    """Three refreshes of one warehouse: from seeds, with one new article, with nothing new."""
    from orchestration.cli import run_refresh

    root = tmp_path_factory.mktemp("incremental")
    source = root / "source"
    shutil.copytree(SEEDS_DIR, source)
    for path in source.rglob("*"):
        path.chmod(0o644)  # the seeds are read-only in the repo
    warehouse = root / "warehouse" / "attache.duckdb"

    first = run_refresh(source, warehouse)
    before = extraction_stamps(warehouse)

    (source / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    second = run_refresh(source, warehouse)
    after_new = extraction_stamps(warehouse)
    built_for_new = built_nodes(DBT_PROJECT_DIR)
    published_after_new = identity(warehouse)

    third = run_refresh(source, warehouse)
    return {
        "source": source,
        "warehouse": warehouse,
        "runs": (first, second, third),
        "stamps": (before, after_new, extraction_stamps(warehouse)),
        "published_after_new": published_after_new,
        "built_for_new": built_for_new,
    }


def test_one_new_article_is_the_only_document_extracted(scenario):
    before, after_new, _ = scenario["stamps"]
    assert scenario["runs"][1].new_documents == 1
    new_ids = set(after_new) - set(before)
    assert len(new_ids) == 1
    # The documents that were there keep the extraction they had.
    assert {doc: after_new[doc] for doc in before} == before
    (new_id,) = new_ids
    assert after_new[new_id] is not None and all(after_new[new_id] > stamp for stamp in before.values())


def test_one_new_article_builds_only_what_reads_the_raw_tables(scenario):
    built = scenario["built_for_new"]
    # the seeds (reference data) and their tests are as the same project built them
    assert built and not any(node.startswith("seed.") for node in built)
    # a mart of seeds alone, and its own tests
    assert "model.attache.dim_organisations" not in built
    assert not any(node.startswith("test.attache.unique_dim_organisations_") for node in built)
    # the marts that read the articles are built and tested, and published
    assert {"model.attache.fct_events", "model.attache.country_engagement", "model.attache.dim_documents"} <= built
    assert any(node.startswith("test.attache.unique_fct_events_") for node in built)
    with duckdb.connect(str(scenario["warehouse"]), read_only=True) as con:
        documents = con.execute("select count(*) from marts.dim_documents").fetchall()[0][0]
        organisations = con.execute("select count(*) from marts.dim_organisations").fetchall()[0][0]
    assert documents == len(scenario["stamps"][1]) and organisations > 0


def test_nothing_new_leaves_the_published_warehouse_untouched(scenario):
    _, after_new, after_nothing = scenario["stamps"]
    assert scenario["runs"][2].new_documents == 0
    assert after_nothing == after_new
    # dbt build was skipped and nothing was published: the very same file is in place ...
    assert identity(scenario["warehouse"]) == scenario["published_after_new"]
    # ... and no working copy is left behind.
    assert not scenario["warehouse"].with_name(".attache.duckdb.building").exists()
    with duckdb.connect(str(scenario["warehouse"]), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_documents").fetchall()[0][0] == len(after_new)
        assert landing.marts_are_current(con, project_digest(DBT_PROJECT_DIR))


def test_an_edited_dbt_project_is_built_again(scenario, tmp_path):
    from orchestration.cli import run_refresh

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    model = project / "models" / "marts" / "dim_documents.sql"
    model.write_text("-- edited: the marts must be rebuilt\n" + model.read_text(encoding="utf-8"), encoding="utf-8")
    published = identity(scenario["warehouse"])

    run_refresh(scenario["source"], scenario["warehouse"], dbt_project_dir=project)

    assert identity(scenario["warehouse"]) != published
    # a changed project rebuilds everything, seeds included
    assert any(node.startswith("seed.") for node in built_nodes(project))
    with duckdb.connect(str(scenario["warehouse"]), read_only=True) as con:
        assert landing.marts_are_current(con, project_digest(project))
        assert not landing.marts_are_current(con, project_digest(DBT_PROJECT_DIR))
