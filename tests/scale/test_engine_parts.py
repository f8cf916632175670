"""The engine's small parts on their own: `--cluster` values and the lake's Parquet files."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.engine import ClusterSpec, ClusterSpecError, ExtractionEngine
from orchestration.engine.lake import LakeFolder, new_run_folder, read_parquet, write_parquet


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("local:2", ClusterSpec(local_workers=2)),
        (" local:16 ", ClusterSpec(local_workers=16)),
        ("tcp://10.0.0.5:8786", ClusterSpec(address="tcp://10.0.0.5:8786")),
        ("scheduler.internal:8786", ClusterSpec(address="tcp://scheduler.internal:8786")),
        ("tls://[::1]:8786", ClusterSpec(address="tls://[::1]:8786")),
    ],
)
def test_cluster_values(value, expected):
    assert ClusterSpec.parse(value) == expected


@pytest.mark.parametrize("value", ["local", "local:0", "local:-1", "local:999", "8786", "http://h", "", "tcp://h"])
def test_bad_cluster_values(value):
    with pytest.raises(ClusterSpecError, match="local:N"):
        ClusterSpec.parse(value)


def test_engine_reads_the_environment_when_not_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("ATTACHE_CLUSTER", raising=False)
    monkeypatch.delenv("ATTACHE_LAKE", raising=False)
    assert ExtractionEngine().describe() == "in-process"
    assert ExtractionEngine().lake_folder(tmp_path).url == str(tmp_path / "lake")
    monkeypatch.setenv("ATTACHE_CLUSTER", "local:3")
    monkeypatch.setenv("ATTACHE_LAKE", "memory://lake")
    assert ExtractionEngine().describe() == "dask local:3"
    assert ExtractionEngine().lake_folder(tmp_path).url == "memory://lake"
    assert ExtractionEngine(cluster="tcp://h:1").describe() == "dask tcp://h:1"  # configuration wins


@pytest.mark.parametrize("root", ["local", "memory://attache-test-lake"])
def test_lake_round_trip_and_removal(root, tmp_path):
    lake = LakeFolder(str(tmp_path / "lake") if root == "local" else root)
    run = new_run_folder(lake)
    frame = pl.DataFrame({"document_id": ["a", "b"], "body": ["Путин", None]})
    url = run.child("input").file("batch-00001.parquet")
    write_parquet(frame, url)
    assert read_parquet(url).equals(frame)
    run.remove()
    with pytest.raises(FileNotFoundError):
        read_parquet(url)
