"""Security: `attache sql` cannot write or reach outside the warehouse; servers bind loopback."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.cli import main

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "orchestration"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, built_warehouse: Path) -> Path:
    copy = tmp_path_factory.mktemp("security") / "attache.duckdb"
    shutil.copyfile(built_warehouse, copy)
    return copy


# Statements that write (the warehouse, other files, settings, extensions): each refused
# before it runs, with the statement type in the message.
WRITING = {
    "insert into raw.documents (document_id) values ('x')": "INSERT",
    "update marts.fct_events set n_mentions = 0": "UPDATE",
    "delete from raw.documents": "DELETE",
    "drop table marts.fct_events": "DROP",
    "create table marts.t as select 1": "CREATE",
    "create temp table t as select 1": "CREATE",
    "create or replace macro m(a) as a": "CREATE",
    "alter table marts.fct_events add column x int": "ALTER",
    "attach '{tmp}/other.duckdb' as other": "ATTACH",
    "detach other": "DETACH",
    "copy marts.fct_events to '{tmp}/events.csv'": "COPY",
    "copy (select 1) to '{tmp}/one.parquet' (format parquet)": "COPY",
    "export database '{tmp}/export'": "EXPORT",
    "install httpfs": "LOAD",
    "load httpfs": "LOAD",
    "set threads = 1": "SET",
    "pragma memory_limit = '1GB'": "SET",
    "use memory": "SET",
    "vacuum": "VACUUM",
    "begin transaction": "TRANSACTION",
    "explain analyze copy (select 1) to '{tmp}/explained.csv'": "EXPLAIN COPY",
    "explain analyze insert into raw.documents (document_id) values ('x')": "EXPLAIN INSERT",
    "select 1; drop table marts.fct_events": "DROP",  # one bad statement refuses the lot
}


@pytest.mark.parametrize("statement", list(WRITING), ids=list(WRITING.values()))
def test_sql_refuses_statements_that_write(statement, warehouse, tmp_path, file_digest, capsys):
    digest = file_digest(warehouse)
    exit_code = main(["sql", statement.format(tmp=tmp_path), "--warehouse", str(warehouse)])
    err = capsys.readouterr().err
    assert exit_code != 0
    assert f"attache sql is read-only: refused {WRITING[statement]} statement" in err
    assert file_digest(warehouse) == digest
    assert list(tmp_path.iterdir()) == []  # no file written beside it either


# Statements of a permitted type that would still write or read outside the warehouse:
# the connection refuses them (read-only file, no file system or network, settings locked).
STOPPED_BY_THE_CONNECTION = [
    "select * from read_text('/etc/hostname')",
    "select * from read_csv('{tmp}/*.csv')",
    "select * from glob('/etc/*')",
    "select * from read_parquet('https://example.com/x.parquet')",
    "pragma enable_profiling",
    "call checkpoint(); select * from read_text('/etc/passwd')",
]


@pytest.mark.parametrize("statement", STOPPED_BY_THE_CONNECTION)
def test_sql_cannot_reach_files_network_or_settings(statement, warehouse, tmp_path, file_digest, capsys):
    (tmp_path / "secret.csv").write_text("a\n1\n", encoding="utf-8")
    digest = file_digest(warehouse)
    exit_code = main(["sql", statement.format(tmp=tmp_path), "--warehouse", str(warehouse)])
    captured = capsys.readouterr()
    assert exit_code == cli.EXIT_FAILED
    assert "attache sql: read-only warehouse, no file or network access" in captured.err
    assert "root:" not in captured.out
    assert file_digest(warehouse) == digest


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) as n from marts.dim_documents",
        "describe marts.fct_events",
        "show tables",
        "summarize marts.dim_documents",
        "explain select * from marts.fct_events",
        "explain analyze select count(*) from marts.fct_events",
        "pragma table_info('marts.fct_events')",
        "with e as (select * from marts.fct_events) select event_type, count(*) from e group by 1",
    ],
)
def test_sql_runs_queries_that_only_read(statement, warehouse, capsys):
    assert main(["sql", statement, "--warehouse", str(warehouse)]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()


def _ui_command(monkeypatch, *arguments: str) -> list[str]:
    """The `dagster dev` command line `attache ui` would exec (nothing is started)."""
    import orchestration.dbt

    captured: dict[str, list[str]] = {}

    class Execed(Exception):
        pass

    def fake_execve(executable, command, env):
        captured["command"] = list(command)
        raise Execed

    monkeypatch.setattr(orchestration.dbt, "prepare_manifest", lambda project: None)
    monkeypatch.setattr(cli.os, "execve", fake_execve)
    monkeypatch.setattr(cli.os, "chdir", lambda path: None)
    with pytest.raises(Execed):
        main(["ui", *arguments])
    return captured["command"]


def test_ui_binds_to_loopback_unless_told_otherwise(monkeypatch, capsys):
    command = _ui_command(monkeypatch)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert "reachable from other machines" not in capsys.readouterr().err

    command = _ui_command(monkeypatch, "--host", "0.0.0.0", "--port", "3111")
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert command[command.index("--port") + 1] == "3111"
    assert "reachable from other machines" in capsys.readouterr().err


def test_no_code_defaults_to_listening_on_every_interface():
    """No server of the package binds 0.0.0.0 / :: / "" by itself (docstrings aside)."""
    wildcard = {"0.0.0.0", "::", "[::]"}
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in wildcard and id(node) not in docstrings:
                offenders.append(f"{path.relative_to(PACKAGE_DIR.parent)}:{node.lineno}")
            # host="" in a call or a default means every interface to socketserver/http.server
            if isinstance(node, ast.keyword) and node.arg == "host":
                if isinstance(node.value, ast.Constant) and node.value.value == "":
                    offenders.append(f"{path.relative_to(PACKAGE_DIR.parent)}:{node.value.lineno}")
    assert offenders == []
