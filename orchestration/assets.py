"""Dagster assets: ingest the source folder, extract mentions, publish the warehouse.

Thin wrappers: reading files lives in `orchestration.ingest`, extraction in
`orchestration.extract`, SQL writes in `orchestration.landing`; the assets wire them to the
run's working copy and report what happened as metadata. Asset keys of the raw tables are
those of the dbt sources (`["raw", "<table>"]`), so the lineage graph is one piece.
"""


import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence

import dagster as dg
import duckdb
import polars as pl
from pydantic import Field

from orchestration import landing, schemas
from orchestration.engine import ExtractionEngine
from orchestration.extract import even_batches, extractor_version
from orchestration.ingest import read_documents, scan_source
from orchestration.ingest.batches import file_groups
from orchestration.progress import report
from orchestration.resources import SourceFolder, WarehouseResource

RAW_GROUP = "raw"
RAW_DOCUMENTS = dg.AssetKey(["raw", "documents"])
RAW_INGEST_ERRORS = dg.AssetKey(["raw", "ingest_errors"])
RAW_DOCUMENT_SOURCES = dg.AssetKey(["raw", "document_sources"])
RAW_SOURCE_FILES = dg.AssetKey(["raw", "source_files"])
# Pages `attache fetch` saves in the source folder (orchestration/web_assets.py).
WEB_PAGES = dg.AssetKey(["web_pages"])
EXTRACTED_KEYS = {table: dg.AssetKey(["raw", table]) for table in schemas.EXTRACTED_TABLES}

PREVIEW_ROWS = 10
PREVIEW_TEXT_CHARS = 120


def markdown_preview(frame: pl.DataFrame, max_rows: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """A small Markdown table of a frame's first rows for the Dagster UI."""
    head = frame.head(max_rows)
    if head.is_empty():
        return dg.MetadataValue.md("_(no rows)_")

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        text = " ".join(text.split())
        if len(text) > PREVIEW_TEXT_CHARS:
            text = text[: PREVIEW_TEXT_CHARS - 1] + "…"
        return text.replace("|", "\\|")

    lines = [
        "| " + " | ".join(head.columns) + " |",
        "|" + "---|" * len(head.columns),
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in head.iter_rows()),
    ]
    if frame.height > max_rows:
        lines.append(f"\n_{frame.height - max_rows} more rows_")
    return dg.MetadataValue.md("\n".join(lines))


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


# --------------------------------------------------------------------------------------
# 1. ingest: source folder -> raw.documents, raw.ingest_errors, raw.source_files


class IngestConfig(dg.Config):
    prune: bool = Field(
        default=False,
        description="Remove documents (and what was extracted from them) whose file has left "
        "the source folder. By default they are kept.",
    )


@dg.multi_asset(
    name="ingest_sources",
    group_name=RAW_GROUP,
    specs=[
        dg.AssetSpec(
            RAW_DOCUMENTS,
            deps=[WEB_PAGES],
            description="One row per article read from the source folder: raw text, clean body, "
            "language, outlet, title, published_at; `ingested_at` and `extractor_version` added "
            "when landed.",
            kinds={"python", "polars", "duckdb"},
        ),
        dg.AssetSpec(
            RAW_INGEST_ERRORS,
            description="Files (or lines of bulk files) that could not be read, with the reason; "
            "replaced per file when the file is read again.",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            RAW_SOURCE_FILES,
            description="One row per file seen in the source folder (size, sha256 fingerprint): "
            "a refresh reads only files whose fingerprint changed.",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            RAW_DOCUMENT_SOURCES,
            description="One row per file (and line of a bulk file) that holds a document, "
            "duplicates included: a document is pruned only when no file holds it any more. "
            "The view raw.duplicates lists each further copy with the one it duplicates.",
            kinds={"python", "duckdb"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "documents_have_body",
            asset=RAW_DOCUMENTS,
            description="Every landed document has a non-blank clean body.",
        )
    ],
)
def ingest_sources(
    context: dg.AssetExecutionContext,
    config: IngestConfig,
    source: SourceFolder,
    warehouse: WarehouseResource,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Scan the source folder and land the files that are new or changed.

    Unchanged files (same sha256 as recorded in raw.source_files) are not read again. A changed
    file's documents and errors are replaced; a document whose text is unchanged keeps its
    `ingested_at` and its extracted rows. Files that cannot be read land in raw.ingest_errors
    and the run goes on. With `prune`, documents whose file is gone are removed. Files are read
    and landed in groups of about 16 MB (`orchestration.ingest.batches`), so memory follows
    the largest group, not the corpus.
    """
    source_dir = source.resolve()
    if not source_dir.is_dir():
        raise dg.Failure(f"source folder {source_dir} does not exist or is not a folder")
    scanned = scan_source(source_dir)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    with warehouse.connect() as con:
        changes = landing.compare_sources(scanned, landing.known_source_files(con))
        pruned = changes.missing if config.prune else []
        # Unchanged files holding a copy of a document whose landed copy changed or left.
        to_read = changes.to_read + landing.files_to_reread(
            con, changes.to_read + pruned, changes.unchanged
        )
        landed, preview = _ingest_in_groups(con, source_dir, scanned, to_read, pruned, now)
        totals = {
            table: landing.count_rows(con, table)
            for table in ("documents", "ingest_errors", "source_files", "document_sources")
        }
        blank_bodies = _count(
            con,
            "select count(*) from raw.documents where body is null or trim(body) = ''",
        )
        run_errors = landing.query_frame(
            con,
            "select source_name, source_line, reason from raw.ingest_errors "
            "where recorded_at = ? order by source_name, source_line",
            [now],
        )

    report(
        context.log,
        f"ingest: {scanned.height} files in {source_dir}, {len(changes.to_read)} new or changed, "
        f"{len(changes.missing)} gone{' (pruned)' if pruned else ''}; documents "
        f"{landed.new_documents} new, {landed.updated_documents} updated, "
        f"{landed.removed_documents} removed; {landed.errors} ingest errors, "
        f"{landed.duplicates} duplicates"
    )
    yield dg.MaterializeResult(
        asset_key=RAW_DOCUMENTS,
        metadata={
            "dagster/row_count": totals["documents"],
            "new_documents": landed.new_documents,
            "updated_documents": landed.updated_documents,
            "unchanged_documents_reread": landed.kept_documents,
            "removed_documents": landed.removed_documents,
            "source_folder": dg.MetadataValue.path(str(source_dir)),
            "preview": markdown_preview(preview),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_INGEST_ERRORS,
        metadata={
            "dagster/row_count": totals["ingest_errors"],
            "errors_this_run": landed.errors,
            "duplicates_this_run": landed.duplicates,
            "errors": markdown_preview(run_errors),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_SOURCE_FILES,
        metadata={
            "dagster/row_count": totals["source_files"],
            "files_in_folder": scanned.height,
            "files_read": len(changes.to_read),
            "files_unchanged": len(changes.unchanged),
            "files_gone": len(changes.missing),
            "files_pruned": len(pruned),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_DOCUMENT_SOURCES,
        metadata={
            "dagster/row_count": totals["document_sources"],
            "duplicates_this_run": landed.duplicates,
        },
    )
    yield dg.AssetCheckResult(
        asset_key=RAW_DOCUMENTS,
        check_name="documents_have_body",
        passed=blank_bodies == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"offending_rows": blank_bodies},
    )


def _ingest_in_groups(
    con: duckdb.DuckDBPyConnection,
    source_dir,
    scanned: pl.DataFrame,
    to_read: list[str],
    pruned: list[str],
    now: dt.datetime,
) -> tuple[landing.IngestLanding, pl.DataFrame]:
    """Read and land the files one group at a time (memory follows the largest group), in
    source-name order so that each document's first copy lands first. Returns the summed
    counts and a preview of the first documents read."""
    preview_columns = ["source_name", "title", "language", "outlet", "published_at", "char_count"]
    preview = schemas.empty(schemas.DOCUMENTS).select(preview_columns)
    totals: Counter[str] = Counter()
    # with nothing to read, one landing still removes what pruned files held
    groups = file_groups(scanned, to_read) or [[]]
    for number, group in enumerate(groups):
        documents, errors, duplicates = _read_group(source_dir, group)
        landed = landing.land_ingest(
            con,
            scanned=scanned,
            read_files=group,
            documents=documents,
            errors=errors,
            pruned_files=pruned if number == 0 else [],
            now=now,
            duplicates=duplicates,
            # an article may move to a file of a later group: removals wait for the last one
            defer_removals=len(groups) > 1,
        )
        totals.update(dataclasses.asdict(landed))
        if preview.height < PREVIEW_ROWS:
            preview = pl.concat([preview, documents.select(preview_columns).head(PREVIEW_ROWS)])
        del documents, errors, duplicates  # before the next group is read
    if len(groups) > 1:
        totals["removed_documents"] += landing.remove_unheld_documents(con)
    fields = [field.name for field in dataclasses.fields(landing.IngestLanding)]
    return landing.IngestLanding(**{name: totals[name] for name in fields}), preview


def _read_group(source_dir, group: list[str]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]:
    if not group:
        return schemas.empty(schemas.DOCUMENTS), schemas.empty(schemas.INGEST_ERRORS), None
    result = read_documents(source_dir, group)
    return result.documents, result.errors, result.duplicates


# --------------------------------------------------------------------------------------
# 2. extract: raw.documents -> sentences, entity/event/figure mentions


class ExtractConfig(dg.Config):
    batch_size: int = Field(
        default=5000,
        description="Most documents extracted and landed per transaction (bounds memory; each batch "
        "also pays a fixed cost of about 0.3 s: compiling the patterns and the gazetteer's automaton).",
        gt=0,
    )
    workers: int = Field(
        default=2,
        description="Batches extracted at once, in threads (one per core of a 2-core machine; "
        "each batch in flight holds its documents and their extracted rows in memory).",
        gt=0,
    )


# The checks read the rows of the documents this run extracted (registered as
# `checked_documents`, and the join starts from it): rows of other documents were checked
# when they were written and have not changed since, so a refresh's checks cost in
# proportion to what is new.

# Rows whose evidence sentence is not found in their document's clean body, per table.
_EVIDENCE_CHECK_SQL = {
    "event_mentions": """
        select count(*) from checked_documents
        join raw.event_mentions as m using (document_id)
        left join raw.documents as d using (document_id)
        where d.body is null or m.evidence is null or position(m.evidence in d.body) = 0
    """,
    "figure_mentions": """
        select count(*) from checked_documents
        join raw.figure_mentions as m using (document_id)
        left join raw.documents as d using (document_id)
        where d.body is null or m.evidence is null or position(m.evidence in d.body) = 0
    """,
}

# Entity mentions whose offsets do not point at their surface text in the body.
_ENTITY_OFFSETS_SQL = """
    select count(*) from checked_documents
    join raw.entity_mentions as m using (document_id)
    left join raw.documents as d using (document_id)
    where
        d.body is null
        or m.char_start < 0
        or m.char_end > length(d.body)
        or substr(d.body, m.char_start + 1, m.char_end - m.char_start) is distinct from m.surface
"""


@dg.multi_asset(
    name="extract_mentions",
    group_name=RAW_GROUP,
    specs=[
        dg.AssetSpec(
            key,
            deps=[RAW_DOCUMENTS],
            description=f"raw.{table}: extracted from each document's clean body by "
            "orchestration.extract, replaced per document, tagged with the extractor version.",
            kinds={"python", "polars", "duckdb"},
        )
        for table, key in EXTRACTED_KEYS.items()
    ],
    check_specs=[
        *(
            dg.AssetCheckSpec(
                "evidence_in_body",
                asset=EXTRACTED_KEYS[table],
                description="The evidence sentence of every row extracted by the run occurs "
                "in its document's body.",
            )
            for table in _EVIDENCE_CHECK_SQL
        ),
        dg.AssetCheckSpec(
            "offsets_match_surface",
            asset=EXTRACTED_KEYS["entity_mentions"],
            description="body[char_start:char_end] is the surface text of every mention "
            "extracted by the run.",
        ),
    ],
)
def extract_mentions(
    context: dg.AssetExecutionContext,
    config: ExtractConfig,
    warehouse: WarehouseResource,
    engine: ExtractionEngine,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Extract sentences, entity, event and figure mentions from documents not yet extracted
    with the current extractor version (all of them when the version changes).

    Works in batches: each batch's old rows are deleted and the new ones inserted in one
    transaction, together with the documents' `extractor_version`. The `engine` resource says
    where batches are extracted (in-process, or on a Dask cluster through the lake).
    """
    version = extractor_version()
    with warehouse.connect() as con:
        pending = landing.documents_pending_extraction(con, version)
        inserted: Counter[str] = Counter()
        previews: dict[str, list[pl.DataFrame]] = {table: [] for table in schemas.EXTRACTED_TABLES}
        batches = even_batches(pending, config.batch_size)
        # documents are read here, on the connection's thread, as the workers ask for more
        documents = (landing.read_documents_for_extraction(con, batch) for batch in batches)
        done = 0
        extracted_batches = engine.extract(
            documents, version=version, workers=config.workers, warehouse_directory=warehouse.paths.directory
        )
        extracted_by: Counter[str] = Counter()  # batches per engine worker
        for batch, result in zip(batches, extracted_batches, strict=True):
            if result.document_ids != list(batch):  # the engine answers batches in order
                raise RuntimeError(f"extraction engine returned another batch than {batch[0]}..")
            extracted = result.frames
            inserted.update(landing.replace_extracted(con, batch, extracted, version))
            extracted_by[result.worker] += 1
            done += len(batch)
            for table, frames in previews.items():
                if sum(frame.height for frame in frames) < PREVIEW_ROWS:
                    frames.append(extracted[table].head(PREVIEW_ROWS))
            report(
                context.log,
                f"extract: {done}/{len(pending)} documents "
                f"(extractor {version})"
            )
        totals = {table: landing.count_rows(con, table) for table in schemas.EXTRACTED_TABLES}
        checked = pl.DataFrame({"document_id": pending}, schema={"document_id": pl.String})
        with landing.registered(con, checked_documents=checked):
            evidence_failures = {table: _count(con, sql) for table, sql in _EVIDENCE_CHECK_SQL.items()}
            offset_failures = _count(con, _ENTITY_OFFSETS_SQL)

    if not pending:
        report(context.log, f"extract: every document is extracted with {version}")
    preview_columns = {
        "sentences": ["document_id", "sentence_index", "sentence"],
        "entity_mentions": ["document_id", "entity_type", "entity_id", "country", "surface"],
        "event_mentions": ["event_type", "participant_countries", "start_date", "modality", "evidence"],
        "figure_mentions": ["metric", "value", "unit", "qualifier", "countries", "evidence"],
    }
    for table, key in EXTRACTED_KEYS.items():
        frames = previews[table]
        preview = pl.concat(frames, how="vertical_relaxed") if frames else schemas.empty(schemas.EXTRACTED_TABLES[table])
        columns = [c for c in preview_columns[table] if c in preview.columns]
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": totals[table],
                "documents_extracted": len(pending),
                "rows_inserted": inserted[table],
                "extractor_version": version,
                "engine": engine.describe(),
                "batches_per_worker": dg.MetadataValue.json(dict(extracted_by)),
                "preview": markdown_preview(preview.select(columns)),
            },
        )
    for table, failures in evidence_failures.items():
        yield dg.AssetCheckResult(
            asset_key=EXTRACTED_KEYS[table],
            check_name="evidence_in_body",
            passed=failures == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"offending_rows": failures, "documents_checked": len(pending)},
        )
    yield dg.AssetCheckResult(
        asset_key=EXTRACTED_KEYS["entity_mentions"],
        check_name="offsets_match_surface",
        passed=offset_failures == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"offending_rows": offset_failures, "documents_checked": len(pending)},
    )


# --------------------------------------------------------------------------------------
# 4. publish: after every dbt model and test passed


PUBLISHED_WAREHOUSE = dg.AssetKey("published_warehouse")


def build_published_warehouse_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """The last asset of a run: depends on every dbt model that reads the raw tables (the
    others are built in the same step), so it runs only when the build and its tests passed."""

    @dg.asset(
        key=PUBLISHED_WAREHOUSE,
        deps=list(upstream),
        group_name="warehouse",
        kinds={"duckdb"},
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Publish the run's working copy over the warehouse file: CHECKPOINT, close, fsync,
        atomic rename. Readers holding the old file keep reading it; new readers see this run."""
        with warehouse.connect() as con:
            mart_names = [
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
                ).fetchall()
            ]
            # Names come from the catalog, quoted as identifiers.
            exact = [
                {
                    "table": f"marts.{name}",
                    "rows": _count(
                        con, f"select count(*) from marts.{landing.quote_identifier(name)}"
                    ),
                }
                for name in mart_names
            ]
        published = warehouse.publish()
        report(context.log, f"published {published}")
        marts = pl.DataFrame(exact, schema={"table": pl.String, "rows": pl.Int64})
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(published)),
                "size_bytes": published.stat().st_size,
                "marts": markdown_preview(marts, max_rows=50),
            }
        )

    return published_warehouse
