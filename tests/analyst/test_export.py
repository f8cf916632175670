"""Item 3: `attache export` writes every mart as Parquet or CSV, described by manifest.json."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.analyst.conftest import attache, mart_counts


@pytest.fixture(scope="module")
def parquet_export(seeds_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "parquet"
    result = attache("export", "--format", "parquet", "--raw", "--out", str(out), "--warehouse", str(seeds_warehouse))
    assert result.returncode == 0, result.stderr
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8")), result.stdout


def test_parquet_export_holds_every_mart_and_the_raw_mentions(seeds_warehouse, parquet_export):
    out, manifest, _ = parquet_export
    counts = mart_counts(seeds_warehouse)
    exported = {entry["table"]: entry for entry in manifest["tables"]}
    assert set(exported) == {f"marts.{name}" for name in counts} | {
        "raw.event_mentions", "raw.figure_mentions", "raw.entity_mentions"
    }  # fmt: skip
    with duckdb.connect() as con:
        for name, rows in counts.items():
            entry = exported[f"marts.{name}"]
            assert entry["rows"] == rows
            path = out / entry["file"]
            assert con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0] == rows
            described = con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
            assert [(c["name"], c["type"]) for c in entry["columns"]] == [(r[0], r[1]) for r in described]


def test_manifest_says_which_build_it_is(seeds_warehouse, parquet_export):
    _, manifest, _ = parquet_export
    build = manifest["build"]
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        versions = {v for (v,) in con.execute("select distinct extractor_version from raw.event_mentions").fetchall()}
        built_at = con.execute("select marts_built_at from attache_state.build_state").fetchone()[0]
        documents = con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    assert set(build["extractor_versions"]) == versions and versions
    assert build["marts_built_at"] == built_at.isoformat() + "Z"
    assert build["documents"] == documents and build["source_files"] >= documents
    assert manifest["format"] == "parquet"
    assert all(len(entry["sha256"]) == 64 and entry["bytes"] > 0 for entry in manifest["tables"])


def test_csv_export_writes_lists_as_json_arrays(seeds_warehouse, tmp_path):
    out = tmp_path / "csv"
    result = attache("export", "--format", "csv", "--tables", "fct_events", "dim_documents",
                     "--out", str(out), "--warehouse", str(seeds_warehouse))  # fmt: skip
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["table"] for entry in manifest["tables"]] == ["marts.fct_events", "marts.dim_documents"]
    with duckdb.connect() as con:
        csv = str(out / "marts" / "fct_events.csv")
        from_csv = con.execute(
            "select event_id, participant_countries from read_csv(?, all_varchar = true) order by 1", [csv]
        ).fetchall()
        con.execute("attach ? as w (read_only)", [str(seeds_warehouse)])
        from_warehouse = con.execute(
            "select event_id, participant_countries from w.marts.fct_events order by 1"
        ).fetchall()
    assert [(e, json.loads(p)) for e, p in from_csv] == [(e, list(p)) for e, p in from_warehouse]
    column = next(c for c in manifest["tables"][0]["columns"] if c["name"] == "participant_countries")
    assert column == {"name": "participant_countries", "type": "VARCHAR[]", "csv": "JSON array"}


def test_unknown_table_is_refused_and_nothing_written(seeds_warehouse, tmp_path):
    out = tmp_path / "never"
    result = attache("export", "--format", "csv", "--tables", "no_such_mart", "--out", str(out),
                     "--warehouse", str(seeds_warehouse))  # fmt: skip
    assert result.returncode == 2
    assert "no table marts.no_such_mart" in result.stderr and "marts.fct_events" in result.stderr
    assert not out.exists()


def test_default_folder_is_named_after_the_build(seeds_warehouse, parquet_export):
    result = attache("export", "--format", "parquet", "--tables", "fct_events", "--warehouse", str(seeds_warehouse))
    assert result.returncode == 0, result.stderr
    [folder] = (seeds_warehouse.parent / "exports").iterdir()
    stamp = parquet_export[1]["build"]["marts_built_at"][:19].replace("-", "").replace(":", "")
    assert folder.name == f"attache-{stamp}Z-parquet"
    assert (folder / "manifest.json").exists() and (folder / "marts" / "fct_events.parquet").exists()


def test_a_file_that_is_not_a_warehouse_gets_a_clear_error(tmp_path):
    bogus = tmp_path / "attache.duckdb"
    bogus.write_text("not a database\n", encoding="utf-8")
    result = attache("export", "--format", "parquet", "--out", str(tmp_path / "out"), "--warehouse", str(bogus))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr
    assert bogus.read_text(encoding="utf-8") == "not a database\n"
