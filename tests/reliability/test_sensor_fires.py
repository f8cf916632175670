"""The source-folder sensor starts a run for every change it sees, including a folder that
returns to an earlier state (a file removed, then put back as it was): evaluated tick after
tick on a real folder, with the cursor carried over as the daemon does."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.resources import SourceFolder
from orchestration.schedules import source_folder_sensor


def tick(source: Path, cursor: str | None, instance: dg.DagsterInstance):
    """One evaluation: (run keys requested, skip reason or None, the cursor it leaves)."""
    context = dg.build_sensor_context(
        cursor=cursor, instance=instance, resources={"source": SourceFolder(path=str(source))}
    )
    data = source_folder_sensor.evaluate_tick(context)
    return [request.run_key for request in data.run_requests], data.skip_message, data.cursor


def test_every_change_starts_a_run_with_a_run_key_never_used_before(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    article = source / "a.txt"
    article.write_text("Первая статья.", encoding="utf-8")
    (source / "b.txt").write_text("Вторая статья.", encoding="utf-8")
    stamp = article.stat().st_mtime_ns

    seen_keys: list[str] = []
    with dg.instance_for_test() as instance:
        keys, _, cursor = tick(source, None, instance)
        seen_keys += keys

        keys, skip, cursor = tick(source, cursor, instance)
        assert keys == [] and "no change" in skip  # nothing changed: no run

        saved = article.read_bytes()
        article.unlink()
        keys, _, cursor = tick(source, cursor, instance)
        seen_keys += keys

        article.write_bytes(saved)  # back exactly as it was: same name, size and mtime
        os.utime(article, ns=(stamp, stamp))
        keys, _, cursor = tick(source, cursor, instance)
        seen_keys += keys

        article.unlink()  # and the same two changes once more
        keys, _, cursor = tick(source, cursor, instance)
        seen_keys += keys
        article.write_bytes(saved)
        os.utime(article, ns=(stamp, stamp))
        keys, _, cursor = tick(source, cursor, instance)
        seen_keys += keys

    assert len(seen_keys) == 5  # the first look and four changes, each one run
    assert len(set(seen_keys)) == 5, seen_keys  # Dagster would drop a run key seen before
