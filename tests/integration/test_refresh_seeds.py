"""The whole pipeline on the sample articles: Dagster in-process, polars, DuckDB, dbt build.

Queries the marts of a warehouse refreshed from a copy of seeds/ (see conftest.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"
SCORER = REPO_ROOT.parent / "shared" / "eval" / "score.py"
GOLD = REPO_ROOT / "tests" / "gold" / "seeds.yaml"  # a copy of ../shared/gold/seeds.yaml

TEASER_HEADING = "Похожие статьи"


def test_every_document_lands_and_marts_are_built(built_warehouse, query):
    seed_files = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    landed = [row[0] for row in query(built_warehouse, "select source_name from marts.dim_documents order by 1")]
    assert landed == seed_files
    assert query(built_warehouse, "select count(*) from raw.ingest_errors") == [(0,)]
    # Every document was extracted with the current extractor version.
    from orchestration.extract import extractor_version

    assert query(
        built_warehouse,
        "select count(*) from raw.documents where extractor_version is distinct from ?",
        [extractor_version()],
    ) == [(0,)]
    marts = {row[0] for row in query(built_warehouse, "select table_name from duckdb_tables() where schema_name = 'marts'")}
    assert {
        "dim_documents",
        "fct_event_mentions",
        "fct_events",
        "fct_figure_mentions",
        "fct_entity_mentions",
        "country_engagement",
        "investment_figures",
    } <= marts


def test_ru_kg_november_2025_state_visit_with_seven_documents(built_warehouse, query):
    rows = query(
        built_warehouse,
        """
        select n_visits, n_agreement_signings, documents_signed
        from marts.country_engagement
        where country = 'RU' and counterpart = 'KG' and month = date '2025-11-01'
        """,
    )
    assert rows == [(1, 1, 7)]
    signings = query(
        built_warehouse,
        """
        select documents_signed from marts.fct_events
        where event_type = 'agreement_signing'
          and list_has_all(participant_countries, ['RU', 'KG'])
          and start_date >= date '2025-11-01' and start_date < date '2025-12-01'
        """,
    )
    assert signings == [(7,)]


def test_russia_phone_calls_august_2025_reach_ten_counterparts(built_warehouse, query):
    rows = query(
        built_warehouse,
        """
        select count(distinct counterpart) from marts.country_engagement
        where country = 'RU' and month = date '2025-08-01' and n_phone_calls > 0
        """,
    )
    assert rows == [(10,)]


def _teaser_only_lines(text: str) -> list[str]:
    """Lines after the teaser heading that do not also occur before it."""
    head, _, tail = text.partition(TEASER_HEADING)
    return [
        line.strip()
        for line in tail.splitlines()
        if len(line.strip()) >= 20 and line.strip() not in head
    ]


def test_nothing_from_related_articles_teasers(built_warehouse, query):
    evidence = [
        row[0]
        for row in query(
            built_warehouse,
            "select evidence from marts.fct_event_mentions union all "
            "select evidence from marts.fct_figure_mentions",
        )
        if row[0]
    ]
    assert evidence, "the seeds yield events and figures"
    checked = 0
    for path in SEEDS_DIR.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        if TEASER_HEADING not in text:
            continue
        head = text.partition(TEASER_HEADING)[0]
        for line in _teaser_only_lines(text):
            checked += 1
            for sentence in evidence:
                assert line not in sentence, f"teaser text in evidence: {sentence!r}"
                assert not (sentence in line and sentence not in head), (
                    f"evidence taken from a teaser of {path.name}: {sentence!r}"
                )
    assert checked > 0, "the seeds have a teaser block to check"


def test_bodies_exclude_the_teasers(built_warehouse, query):
    for source_name, body in query(built_warehouse, "select source_name, body from raw.documents"):
        text = (SEEDS_DIR / source_name).read_text(encoding="utf-8")
        for line in _teaser_only_lines(text):
            assert line not in body, f"{source_name}: teaser line kept in the body: {line[:60]!r}"


def test_refresh_prints_summary_and_runs_show_in_instance(tmp_path, seeds_copy, dbt_manifest, capsys):
    warehouse = tmp_path / "wh" / "attache.duckdb"
    exit_code = main(["refresh", "--source", str(seeds_copy), "--warehouse", str(warehouse)])
    captured = capsys.readouterr()
    assert exit_code == 0, captured.err
    n_seeds = len(list(SEEDS_DIR.glob("*.txt")))
    line = captured.out.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"documents {n_seeds} \({n_seeds} new\), events \d+, figures \d+, ingest errors 0 -> .*attache\.duckdb",
        line,
    ), line
    assert warehouse.exists()
    assert not warehouse.with_name(".attache.duckdb.building").exists()

    import dagster as dg

    runs = dg.DagsterInstance.get().get_runs(filters=dg.RunsFilter(job_name="refresh_all"))
    assert runs and runs[0].status == dg.DagsterRunStatus.SUCCESS


def test_second_refresh_leaves_every_mart_identical(tmp_path, built_warehouse, refresh, mart_fingerprints):
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    warehouse.write_bytes(built_warehouse.read_bytes())
    before = mart_fingerprints(warehouse)
    source = tmp_path / "source"
    source.mkdir()
    for path in SEEDS_DIR.glob("*"):
        (source / path.name).write_bytes(path.read_bytes())
    run = refresh(source, warehouse)
    assert run.new_documents == 0
    after = mart_fingerprints(warehouse)
    assert before and after == before


def test_unreadable_files_are_quarantined_and_articles_still_load(tmp_path, seeds_copy, refresh, query):
    (seeds_copy / "latin1.txt").write_bytes("Président Tokaïev à Moscou".encode("latin-1") + b"\xff\xfe")
    (seeds_copy / "empty.txt").write_bytes(b"")
    warehouse = tmp_path / "wh" / "attache.duckdb"
    refresh(seeds_copy, warehouse)
    errors = dict(query(warehouse, "select source_name, reason from raw.ingest_errors"))
    assert set(errors) == {"latin1.txt", "empty.txt"}
    assert all(reason for reason in errors.values())
    n_seeds = len(list(SEEDS_DIR.glob("*.txt")))
    assert query(warehouse, "select count(*) from marts.dim_documents") == [(n_seeds,)]
    assert query(warehouse, "select count(*) from marts.fct_events") != [(0,)]


def test_sql_command_reads_and_refuses_writes(built_warehouse, file_digest, capsys):
    assert main(["sql", "select count(*) as n from marts.dim_documents", "--warehouse", str(built_warehouse)]) == 0
    out = capsys.readouterr().out
    assert "n" in out and str(len(list(SEEDS_DIR.glob("*.txt")))) in out

    digest = file_digest(built_warehouse)
    for statement in (
        "delete from raw.documents",
        "drop table marts.fct_events",
        "create table t as select 1",
        "copy marts.fct_events to 'x.csv'",
    ):
        assert main(["sql", statement, "--warehouse", str(built_warehouse)]) != 0
        assert "read-only" in capsys.readouterr().err
    assert file_digest(built_warehouse) == digest


def test_console_script_runs_sql(built_warehouse):
    attache = Path(sys.executable).with_name("attache")
    if not attache.exists():
        pytest.skip("the attache console script is not installed in this environment")
    result = subprocess.run(
        [str(attache), "sql", "select event_type, count(*) from marts.fct_events group by 1 order by 1",
         "--warehouse", str(built_warehouse)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "event_type" in result.stdout


def test_extraction_meets_the_gold_standard(built_warehouse, capsys):
    code = main(["eval", "--warehouse", str(built_warehouse), "--gold", str(GOLD), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["event"]["f1"] >= 0.95, report["event"]
    assert report["figure"]["f1"] >= 0.98, report["figure"]
    assert min(report["attributes"].values()) >= 0.9, report["attributes"]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside the repository")
def test_attache_eval_agrees_with_the_reference_scorer(built_warehouse, capsys):
    main(["eval", "--warehouse", str(built_warehouse), "--gold", str(GOLD), "--json"])
    ours = json.loads(capsys.readouterr().out)
    result = subprocess.run(
        [sys.executable, str(SCORER), "--warehouse", str(built_warehouse), "--gold", str(REPO_ROOT.parent / "shared" / "gold" / "seeds.yaml"), "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ours.pop("rules")
    assert ours == json.loads(result.stdout)
