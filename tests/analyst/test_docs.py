"""Item 2: `attache docs` is the data dictionary: every mart and column described, tests
listed, lineage, and the contract of DESIGN.md; made without writing the published file."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.analyst.conftest import attache, mart_counts

DESIGN = Path(__file__).resolve().parents[3] / "shared" / "DESIGN.md"
# In DESIGN.md's "Schema `marts`": "`fct_events` — ..." opens a table's block, in which
# "`name` TYPE" gives a column its type.
TABLE_BLOCK = re.compile(r"^`(\w+)` — (.*?)(?=^\s*$)", re.MULTILINE | re.DOTALL)
TYPED_COLUMN = re.compile(r"`(\w+)` (VARCHAR\[\]|VARCHAR|DATE|INTEGER|TIMESTAMP|DOUBLE)(?![\w\[])")
BACKTICKED = re.compile(r"`(\w+)`")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site(seeds_warehouse, tmp_path_factory):
    before = digest(seeds_warehouse)
    out = tmp_path_factory.mktemp("docs") / "site"
    result = attache("docs", "--out", str(out), "--warehouse", str(seeds_warehouse))
    assert result.returncode == 0, result.stderr
    assert digest(seeds_warehouse) == before  # only read
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    return out, manifest, catalog


def mart_nodes(manifest: dict) -> dict[str, dict]:
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }


def contract() -> dict[str, tuple[list[str], dict[str, str]]]:
    """DESIGN.md's marts: table -> (the columns it names, the types it gives)."""
    text = DESIGN.read_text(encoding="utf-8")
    section = text.split("### Schema `marts`", 1)[1].split("\n### ", 1)[0]
    tables = {}
    for name, block in TABLE_BLOCK.findall(section + "\n\n"):
        columns = [c for c in BACKTICKED.findall(block) if c != name and not c.startswith(("fct_", "dim_"))]
        tables[name] = (columns, dict(TYPED_COLUMN.findall(block)))
    return tables


def test_site_files_are_written(site):
    out, _, _ = site
    for name in ("index.html", "static_index.html", "manifest.json", "catalog.json"):
        assert (out / name).stat().st_size > 0
    assert "catalog" in (out / "static_index.html").read_text(encoding="utf-8")[:5_000_000]


def test_every_mart_and_column_is_described(seeds_warehouse, site):
    _, manifest, catalog = site
    marts = mart_nodes(manifest)
    assert set(marts) == set(mart_counts(seeds_warehouse))
    for name, node in marts.items():
        assert node["description"].strip(), f"{name} has no description"
        built_columns = catalog["nodes"][node["unique_id"]]["columns"]
        undescribed = [c for c in built_columns if not node["columns"].get(c, {}).get("description", "").strip()]
        assert not undescribed, f"{name}: columns without a description: {undescribed}"
        assert catalog["nodes"][node["unique_id"]]["stats"]["has_stats"]["value"] is not None


def test_tests_and_lineage_are_listed(site):
    _, manifest, _ = site
    marts = mart_nodes(manifest)
    tested = {
        parent
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        for parent in node["depends_on"]["nodes"]
    }
    for name in ("fct_events", "fct_event_mentions", "fct_figure_mentions", "dim_documents"):
        assert marts[name]["unique_id"] in tested, f"no test on {name}"

    def reaches_raw(unique_id: str) -> bool:
        parents = manifest["parent_map"][unique_id]
        return any(p.startswith("source.attache.raw.") or reaches_raw(p) for p in parents)

    assert reaches_raw(marts["fct_events"]["unique_id"])
    assert reaches_raw(marts["country_engagement"]["unique_id"])


def test_contract_columns_of_design_md_are_there_described_and_typed(site):
    _, manifest, catalog = site
    marts = mart_nodes(manifest)
    tables = contract()
    assert {"dim_documents", "fct_events", "fct_event_mentions", "fct_figure_mentions", "country_engagement"} <= set(tables)
    for table, (columns, types) in tables.items():
        node = marts[table]
        built = {name: column["type"].upper() for name, column in catalog["nodes"][node["unique_id"]]["columns"].items()}
        for column in columns:
            assert column in built, f"DESIGN.md's {table}.{column} is not in the built mart"
            assert node["columns"][column]["description"].strip(), f"{table}.{column} undescribed"
        for column, design_type in types.items():
            assert built[column] == design_type, f"{table}.{column} is {built[column]}, DESIGN.md says {design_type}"
