"""The run history written through PooledSqliteEventLogStorage: Dagster's own SQLite files,
written on pooled connections, readable by any other instance of the same DAGSTER_HOME."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.cli import DAGSTER_YAML, DAGSTER_YAML_HEADER, ensure_dagster_home
from orchestration.run_history import PooledSqliteEventLogStorage


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    return ensure_dagster_home()


@dg.asset
def greeting() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"words": 2})


def test_the_instance_writes_its_events_through_the_pooled_storage(dagster_home):
    instance = dg.DagsterInstance.get()
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    result = dg.materialize([greeting], instance=instance)
    assert result.success

    # another instance of the same home (the UI, a later process) reads the run and the asset
    reader = dg.DagsterInstance.from_ref(instance.get_ref())
    events = reader.all_logs(result.run_id)
    assert any(event.dagster_event and event.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS for event in events)
    latest = reader.get_latest_materialization_event(dg.AssetKey("greeting"))
    assert latest is not None and latest.run_id == result.run_id
    assert (dagster_home / "history" / "runs" / f"{result.run_id}.db").exists()


def test_engines_stay_bounded_over_many_runs(dagster_home):
    instance = dg.DagsterInstance.get()
    storage = instance.event_log_storage
    runs = [dg.materialize([greeting], instance=instance).run_id for _ in range(storage.RUN_ENGINES_KEPT + 3)]
    open_shards = set(storage._engines)
    assert len(open_shards) <= storage.RUN_ENGINES_KEPT + 1  # the index, and the runs touched last
    assert runs[-1] in open_shards and runs[0] not in open_shards
    # a run whose engine was closed is read again on demand
    assert instance.all_logs(runs[0])


def test_dagster_yaml_written_by_attache_is_updated_and_a_hand_written_one_kept(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    config = home / "dagster.yaml"

    config.write_text(DAGSTER_YAML_HEADER + "\ntelemetry:\n  enabled: false\n", encoding="utf-8")
    ensure_dagster_home()
    assert config.read_text(encoding="utf-8") == DAGSTER_YAML

    config.write_text("telemetry:\n  enabled: true\n", encoding="utf-8")
    ensure_dagster_home()
    assert config.read_text(encoding="utf-8") == "telemetry:\n  enabled: true\n"
