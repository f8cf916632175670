"""Nothing is lost: sequences of changes to a source folder, each followed by a real
`attache refresh` (in-process `main`, dbt build included), after which the marts hold exactly
the articles the folder holds (or held, without `--prune`), with no duplicate keys.

One folder and one warehouse go through the steps in order (module-scoped: a refresh with a
dbt build costs seconds); each test checks the state one step left.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main

# One article per letter; the marker sentence ("Метка A.") lets a test tell which article a
# document is. Each reports a call, so that the event and figure marts have rows too.
COUNTRIES = {"A": "Казахстана", "B": "Киргизии", "C": "Таджикистана", "D": "Туркмении", "E": "Узбекистана", "F": "Китая"}


def article(letter: str) -> str:
    return (
        f"Президент России Владимир Путин провёл телефонный разговор с президентом "
        f"{COUNTRIES[letter]} 1{ord(letter) - 64} ноября 2025 года. Стороны обсудили торговлю, "
        f"товарооборот достиг 2,{ord(letter) - 64} млрд долларов. Метка {letter}.\n"
    )


def jsonl(*letters: str) -> str:
    return "".join(json.dumps({"text": article(x), "title": f"Статья {x}"}, ensure_ascii=False) + "\n" for x in letters)


@dataclass(frozen=True)
class State:
    exit_code: int
    summary: str
    articles: list[str]  # marker letters of marts.dim_documents, one per row, sorted
    source_names: dict[str, list[str]]  # letter -> dim_documents.source_names
    duplicate_keys: dict[str, int]  # key column -> rows sharing a key with another row
    duplicates: list[tuple]  # raw.duplicates (source_name, duplicate_of)


KEYS = {
    "marts.dim_documents": "document_id",
    "marts.fct_event_mentions": "mention_id",
    "marts.fct_events": "event_id",
    "marts.fct_figure_mentions": "figure_id",
    "marts.fct_entity_mentions": "entity_mention_id",
}


def read_state(warehouse: Path, exit_code: int, summary: str) -> State:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select regexp_extract(r.body, 'Метка ([A-Z])\\.', 1) as letter, d.source_names
            from marts.dim_documents as d join raw.documents as r using (document_id)
            order by letter
            """
        ).fetchall()
        duplicate_keys = {
            table: con.execute(
                f"select count(*) - count(distinct {key}) from {table}"  # fixed names above
            ).fetchall()[0][0]
            for table, key in KEYS.items()
        }
        duplicates = con.execute(
            "select source_name, duplicate_of from raw.duplicates order by 1"
        ).fetchall()
    return State(
        exit_code=exit_code,
        summary=summary,
        articles=[letter for letter, _ in rows],
        source_names={letter: names for letter, names in rows},
        duplicate_keys=duplicate_keys,
        duplicates=duplicates,
    )


def refresh(source: Path, warehouse: Path, *, prune: bool = False) -> State:
    out = io.StringIO()
    argv = ["refresh", "--source", str(source), "--warehouse", str(warehouse)]
    with contextlib.redirect_stdout(out):
        exit_code = main(argv + (["--prune"] if prune else []))
    return read_state(warehouse, exit_code, out.getvalue())


@pytest.fixture(scope="module")
def steps(tmp_path_factory, dbt_manifest) -> dict[str, object]:
    root = tmp_path_factory.mktemp("nothing_lost")
    source, warehouse = root / "source", root / "warehouse" / "attache.duckdb"
    source.mkdir()

    def write(name: str, text: str) -> None:
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("a.txt", article("A"))
    write("a copy.txt", article("A"))
    write("b.txt", article("B"))
    write("bulk1.jsonl", jsonl("C", "D"))
    write("e.txt", article("E"))
    write("bulk2.jsonl", jsonl("E"))
    states = {"identical files": refresh(source, warehouse)}

    (source / "a.txt").unlink()
    states["one copy deleted"] = refresh(source, warehouse)
    states["one copy deleted, pruned"] = refresh(source, warehouse, prune=True)

    write("a.txt", article("A"))
    refresh(source, warehouse)
    (source / "a copy.txt").unlink()
    states["the other copy deleted, pruned"] = refresh(source, warehouse, prune=True)

    (source / "deep" / "er").mkdir(parents=True)
    shutil.move(source / "b.txt", source / "deep" / "er" / "b renamed.txt")
    states["renamed"] = refresh(source, warehouse, prune=True)

    write("bulk1.jsonl", jsonl("C"))
    write("bulk3.jsonl", jsonl("D"))
    states["moved between jsonl files"] = refresh(source, warehouse, prune=True)

    write("e.txt", article("F"))  # one of E's two copies becomes another article
    states["one copy of a duplicate edited"] = refresh(source, warehouse, prune=True)

    saved = (source / "bulk1.jsonl").read_bytes()
    (source / "bulk1.jsonl").unlink()
    states["file removed, pruned"] = refresh(source, warehouse, prune=True)
    (source / "bulk1.jsonl").write_bytes(saved)
    states["file re-added"] = refresh(source, warehouse, prune=True)

    good = (source / "a.txt").read_bytes()
    (source / "a.txt").write_bytes(good[: good.index("Метка".encode()) + 3])  # cut inside a letter
    states["file unreadable"] = refresh(source, warehouse, prune=True)
    (source / "a.txt").write_bytes(good)
    states["file readable again"] = refresh(source, warehouse, prune=True)
    states["set aside"] = list(warehouse.parent.glob("*.damaged-*"))  # healthy: never
    return states


EXPECTED = {
    "identical files": "ABCDE",
    "one copy deleted": "ABCDE",  # without --prune nothing is removed
    "one copy deleted, pruned": "ABCDE",  # the copy left still holds A
    "the other copy deleted, pruned": "ABCDE",
    "renamed": "ABCDE",
    "moved between jsonl files": "ABCDE",
    "one copy of a duplicate edited": "ABCDEF",  # E is still in bulk2.jsonl
    "file removed, pruned": "ABDEF",
    "file re-added": "ABCDEF",
    "file unreadable": "BCDEF",  # a.txt now holds no article: quarantined
    "file readable again": "ABCDEF",
}


@pytest.mark.parametrize("step", list(EXPECTED))
def test_marts_hold_exactly_the_articles_of_the_folder(steps, step):
    state = steps[step]
    assert state.exit_code == 0, state.summary
    assert state.articles == list(EXPECTED[step])
    assert state.duplicate_keys == {table: 0 for table in KEYS}


def test_identical_files_are_both_recorded_and_the_duplicate_reported(steps):
    state = steps["identical files"]
    assert state.source_names["A"] == ["a copy.txt", "a.txt"]
    assert state.source_names["E"] == ["bulk2.jsonl", "e.txt"]  # a .txt and a .jsonl line
    assert state.duplicates == [("a.txt", "a copy.txt"), ("e.txt", "bulk2.jsonl")]
    assert "duplicates 2" in state.summary


def test_deleted_copies_stay_listed_until_pruned(steps):
    assert steps["one copy deleted"].source_names["A"] == ["a copy.txt", "a.txt"]
    assert steps["one copy deleted, pruned"].source_names["A"] == ["a copy.txt"]
    assert steps["the other copy deleted, pruned"].source_names["A"] == ["a.txt"]
    assert steps["one copy deleted, pruned"].duplicates == [("e.txt", "bulk2.jsonl")]


def test_renamed_and_moved_articles_point_at_their_new_files(steps):
    assert steps["renamed"].source_names["B"] == ["deep/er/b renamed.txt"]
    assert steps["moved between jsonl files"].source_names["D"] == ["bulk3.jsonl"]


def test_editing_one_copy_leaves_the_other_copy_s_article(steps):
    state = steps["one copy of a duplicate edited"]
    assert state.source_names["E"] == ["bulk2.jsonl"]
    assert state.source_names["F"] == ["e.txt"]
    assert state.duplicates == []
    assert "duplicates" not in state.summary


def test_no_healthy_warehouse_was_taken_for_damaged(steps):
    assert steps["set aside"] == []
