"""What a small refresh leaves out of `dbt build`, and that it still catches bad data.

When only raw tables changed, a refresh builds `--selector small_refresh`
(dbt_project/selectors.yml): everything that reads the raw tables except the tests tagged
`full_build`, which repeat a test of the same selection, and without recreating the views
(the same project made them; they read the new rows as they are). These tests pin that:
- every `full_build` test has its twin in the selection (same test, same column, on the
  source of the view or on a mart reading the view), and the selection is dbt's own;
- a small refresh over a real data problem (a duplicated entity mention) still fails, on the
  mart's test, and leaves the published warehouse as it was;
- `attache refresh --all-tests` runs the `full_build` tests too, and the hourly schedule's
  runs carry the same tag.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import RefreshError, run_refresh
from orchestration.dbt import (
    ALL_TESTS_TAG,
    DBT_PROJECT_DIR,
    DOWNSTREAM_OF_RAW,
    FULL_BUILD_TAG,
    SMALL_REFRESH_SELECTOR,
    _selected_nodes,
)

NEW_ARTICLE = "Президент Казахстана Касым-Жомарт Токаев посетил Ташкент 3 марта 2025 года.\n"
MART_TEST = "unique_fct_entity_mentions_entity_mention_id"
FULL_BUILD_TEST = "unique_stg_raw__entity_mentions_entity_mention_id"


@pytest.fixture(scope="module")
def manifest(dbt_manifest: Path) -> dict:
    return json.loads(dbt_manifest.read_text())


def _tests(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "test"}


def _twin_candidates(manifest: dict, model_uid: str) -> set[str]:
    """The source a view reads and the models that read the view: where a repeated test lives."""
    model = manifest["nodes"][model_uid]
    sources = {uid for uid in model["depends_on"]["nodes"] if uid.startswith("source.")}
    readers = {uid for uid in manifest["child_map"][model_uid] if uid.startswith("model.")}
    return sources | readers


def test_every_full_build_test_has_its_twin_in_the_small_refresh(manifest: dict):
    tests = _tests(manifest)
    small = _selected_nodes(manifest, None, SMALL_REFRESH_SELECTOR)
    tagged = {uid: node for uid, node in tests.items() if FULL_BUILD_TAG in node["tags"]}
    assert len(tagged) >= 10
    for uid, node in tagged.items():
        assert uid not in small
        kind, column = node["test_metadata"]["name"], node["column_name"]
        places = _twin_candidates(manifest, node["attached_node"])
        twins = [
            other
            for other, candidate in tests.items()
            if other in small
            and (candidate.get("test_metadata") or {}).get("name") == kind
            and candidate.get("column_name") == column
            and (candidate.get("attached_node") or candidate["depends_on"]["nodes"][0]) in places
        ]
        assert twins, f"{node['name']} is tagged {FULL_BUILD_TAG} but no test of the small refresh repeats it"


def test_the_selector_is_what_dbt_selects(manifest: dict):
    from dbt.cli.main import dbtRunner

    def listed(*selection: str) -> set[str]:
        result = dbtRunner().invoke(
            ["ls", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--resource-type", "model", "--resource-type", "test", "--output", "json",
             "--output-keys", "unique_id", "--quiet", *selection]
        )  # fmt: skip
        assert result.success, result.exception
        return {json.loads(line)["unique_id"] for line in result.result}

    def built(nodes: set[str]) -> set[str]:
        return {uid for uid in nodes if uid.split(".")[0] in {"model", "test"}}

    small = listed("--selector", SMALL_REFRESH_SELECTOR)
    assert small == built(_selected_nodes(manifest, None, SMALL_REFRESH_SELECTOR))
    everything = listed("--select", DOWNSTREAM_OF_RAW)
    assert everything == built(_selected_nodes(manifest, DOWNSTREAM_OF_RAW, None))
    left_out = everything - small
    tagged = {uid for uid in left_out if FULL_BUILD_TAG in manifest["nodes"][uid]["tags"]}
    views = {uid for uid in left_out if manifest["nodes"][uid]["config"]["materialized"] == "view"}
    assert tagged and views and left_out == tagged | views
    # the views are not recreated, but their own tests run
    view_tests = {
        uid for uid in everything if uid.startswith("test.") and set(manifest["nodes"][uid]["depends_on"]["nodes"]) & views
    }
    assert view_tests - tagged and view_tests - tagged <= small


@pytest.fixture
def duplicated_mention(tmp_path: Path, built_warehouse: Path) -> tuple[Path, Path]:
    """(source, warehouse): a copy of the seeds warehouse whose raw.entity_mentions holds one
    mention twice (what a faulty landing would leave), and one new article in the folder."""
    source = shutil.copytree(built_warehouse.parent.parent / "source", tmp_path / "source")
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.entity_mentions select * from raw.entity_mentions limit 1")
    (source / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    return source, warehouse


def _failure(source: Path, warehouse: Path, **options) -> str:
    before = warehouse.read_bytes()
    with pytest.raises(RefreshError) as failed:
        run_refresh(source, warehouse, **options)
    assert warehouse.read_bytes() == before  # nothing published
    return str(failed.value)


def test_small_refresh_still_fails_on_a_duplicated_mention(duplicated_mention: tuple[Path, Path]):
    message = _failure(*duplicated_mention)
    assert MART_TEST in message
    assert FULL_BUILD_TEST not in message  # left out: the mart's test caught it


def test_all_tests_refresh_runs_the_full_build_tests(duplicated_mention: tuple[Path, Path]):
    message = _failure(*duplicated_mention, all_tests=True)
    # the view's test runs, fails first, and dbt skips the mart built on the view
    assert FULL_BUILD_TEST in message


def test_the_hourly_schedule_runs_every_test():
    import dagster as dg

    from orchestration.schedules import hourly_refresh

    with dg.build_schedule_context() as context:
        (request,) = hourly_refresh.evaluate_tick(context).run_requests
    assert request.tags.get(ALL_TESTS_TAG) == "all"
