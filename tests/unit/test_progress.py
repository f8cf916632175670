"""Progress of a refresh: one line per step on a terminal, nothing but the summary elsewhere.

The unit tests check the progress logger's filter and format on plain log records; the two
end-to-end tests run `attache refresh` as a person does, once with stderr on a
pseudo-terminal and once with stderr on a pipe, into a temporary warehouse.
"""

from __future__ import annotations

import logging
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration import progress

ATTACHE = str(Path(sys.executable).with_name("attache"))
SUMMARY_START = "documents "


def record(message: str, *, level: int = logging.INFO, marked: bool = False, event_type: str | None = None):
    rec = logging.LogRecord("dagster", level, __file__, 1, message, None, None)
    if marked:
        setattr(rec, progress._MARK, True)
    meta: dict = {"orig_message": message}
    if event_type is not None:
        meta["dagster_event"] = type("Event", (), {"event_type_value": event_type})()
    rec.dagster_meta = meta
    return rec


def test_filter_passes_reports_errors_and_failures_only():
    keep = progress._ProgressFilter().filter
    assert keep(record("ingest: 2 files", marked=True))
    assert keep(record("something broke", level=logging.ERROR))
    assert keep(record("step failed", event_type="STEP_FAILURE"))
    assert not keep(record("framework chatter"))
    assert not keep(record("Finished execution of step", event_type="STEP_SUCCESS"))


def test_formatter_prefixes_the_time_since_the_run_started():
    formatter = progress._ProgressFormatter()
    line = formatter.format(record("extract: 10/20 documents", marked=True))
    assert line.endswith("] extract: 10/20 documents")
    seconds = float(line[1 : line.index("s]")])
    assert 0 <= seconds < 60


def test_fast_run_history_turns_off_fsync_only_under_the_dagster_home(tmp_path):
    from sqlalchemy import create_engine, text

    home = tmp_path / "home"
    home.mkdir()
    progress.fast_run_history(home)
    inside = create_engine(f"sqlite:///{home / 'runs.db'}")
    outside = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with inside.connect() as con:
        assert con.execute(text("pragma synchronous")).scalar() == 0  # OFF
    with outside.connect() as con:
        assert con.execute(text("pragma synchronous")).scalar() == 2  # FULL, SQLite's default


# --------------------------------------------------------------------------------------
# end to end: the command line, on a terminal and off it


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, dbt_manifest) -> dict[str, Path | dict[str, str]]:
    root = tmp_path_factory.mktemp("progress")
    source = root / "source"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds", source)
    for path in source.rglob("*"):
        path.chmod(0o644)
    env = {**os.environ, "DAGSTER_HOME": str(root / "dagster_home")}
    env.pop("ATTACHE_SOURCE_DIR", None)
    env.pop("ATTACHE_WAREHOUSE", None)
    return {"source": source, "warehouse": root / "warehouse" / "attache.duckdb", "env": env}


def run_with_stderr_on_a_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (stdout on a pipe); returns (exit, stdout, stderr)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    stdout = process.communicate(timeout=60)[0]
    return process.returncode, stdout.decode(), b"".join(chunks).decode(errors="replace")


@pytest.fixture(scope="module")
def quiet_run(workspace) -> subprocess.CompletedProcess:
    """The first refresh of the workspace, with stdout and stderr on pipes."""
    return subprocess.run(
        [ATTACHE, "refresh", "--source", str(workspace["source"]), "--warehouse", str(workspace["warehouse"])],
        env=workspace["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_off_a_terminal_only_the_summary_is_printed(quiet_run):
    assert quiet_run.returncode == 0, quiet_run.stderr
    assert quiet_run.stderr == ""
    lines = quiet_run.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(SUMMARY_START), quiet_run.stdout


def test_on_a_terminal_each_stage_reports_files_and_articles(workspace, quiet_run):
    assert quiet_run.returncode == 0, quiet_run.stderr
    # A new article, so that every stage has work: ingest, extraction, dbt, publish.
    (workspace["source"] / "new_article.txt").write_text(
        "Президент Казахстана Касым-Жомарт Токаев провёл телефонный разговор с президентом "
        "России Владимиром Путиным 3 ноября 2025 года.\n",
        encoding="utf-8",
    )
    code, stdout, stderr = run_with_stderr_on_a_terminal(
        [ATTACHE, "refresh", "--source", str(workspace["source"]), "--warehouse", str(workspace["warehouse"])],
        workspace["env"],
    )
    assert code == 0, stderr
    assert stdout.splitlines()[-1].startswith(SUMMARY_START)
    assert "(1 new)" in stdout
    progress_lines = [line for line in stderr.splitlines() if line.startswith("[")]
    text = "\n".join(progress_lines)
    assert "ingest: 3 files" in text and "1 new or changed" in text  # files
    assert "documents 1 new" in text  # articles
    assert "extract: 1/1 documents" in text
    assert "dbt build: the models and tests that read the raw tables" in text  # seeds unchanged
    assert "published" in text  # stages to the end
    # Only our lines, not Dagster's framework events.
    assert "STEP_START" not in stderr and "RUN_SUCCESS" not in stderr
