"""Landing in DuckDB schema `raw`: table DDL from `schemas.py`, and the idempotent writes.

Knows nothing of how files are read or what extraction finds: it receives frames that
conform to `orchestration.schemas` and keeps the raw tables consistent:

* `raw.documents` holds one row per `document_id` (a content hash), so an article that two
  files carry is landed once; `raw.document_sources` records every file (and line) that
  holds it, and the view `raw.duplicates` lists each further copy with the one it
  duplicates. A document is removed only when no file holds it any more.
* A file is re-read only when its fingerprint changed; its old documents, errors and
  `source_files` row are replaced in one transaction. A document whose text did not change
  keeps its `ingested_at` and its extracted rows.
* The extracted tables are replaced per document, in one transaction per batch, together
  with the document's `extractor_version`.

DuckDB 2 keeps a result of `execute()` open until it is fetched to the end, and refuses
`sql()` or `register()` on the connection meanwhile: results are read with fetchall().

Table names below come from the fixed constants of `schemas.py`, never from input; values
always travel as parameters or registered frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import polars as pl

from orchestration import schemas

RAW_SCHEMA = "raw"

# Columns the landing adds to what ingest/extract produce (see the end of schemas.py).
LANDING_COLUMNS: dict[str, dict[str, pl.DataType]] = {
    "documents": {
        "ingested_at": pl.Datetime("us"),
        "extractor_version": pl.String,
        # When the document's rows in the extracted tables were last replaced (NULL: never).
        "extracted_at": pl.Datetime("us"),
    },
    "ingest_errors": {"recorded_at": pl.Datetime("us")},
    "document_sources": {"recorded_at": pl.Datetime("us")},
    "source_files": {
        "ingested_at": pl.Datetime("us"),
        "n_documents": pl.Int32,
        "n_errors": pl.Int32,
    },
    **{table: {"extractor_version": pl.String} for table in schemas.EXTRACTED_TABLES},
}

RAW_TABLES: dict[str, dict[str, pl.DataType]] = {
    "documents": {**schemas.DOCUMENTS, **LANDING_COLUMNS["documents"]},
    "ingest_errors": {**schemas.INGEST_ERRORS, **LANDING_COLUMNS["ingest_errors"]},
    "source_files": {**schemas.SOURCE_FILES, **LANDING_COLUMNS["source_files"]},
    "document_sources": {**schemas.DOCUMENT_SOURCES, **LANDING_COLUMNS["document_sources"]},
    **{
        table: {**schema, **LANDING_COLUMNS[table]}
        for table, schema in schemas.EXTRACTED_TABLES.items()
    },
    # mirrors of the fetch state file (orchestration/fetch/warehouse.py)
    "fetch_errors": schemas.FETCH_ERRORS,
    "feed_cursors": schemas.FEED_CURSORS,
}


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type for a polars dtype of the raw schemas."""
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    base = {
        pl.String: "VARCHAR",
        pl.Int32: "INTEGER",
        pl.Int64: "BIGINT",
        pl.Float64: "DOUBLE",
        pl.Date: "DATE",
        pl.Boolean: "BOOLEAN",
    }
    for polars_type, sql_type in base.items():
        if dtype == polars_type:
            return sql_type
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    raise TypeError(f"no DuckDB type mapped for polars dtype {dtype!r}")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_ref(table: str) -> str:
    if table not in RAW_TABLES:
        raise KeyError(f"unknown raw table {table!r}")
    return f"{RAW_SCHEMA}.{quote_identifier(table)}"


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema `raw` and its tables; add columns that a newer schemas.py declares.

    Runs at every connection, so the catalog is read once for all tables."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    existing: dict[str, set[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall():
        existing.setdefault(table, set()).add(column)
    for table, columns in RAW_TABLES.items():
        if table not in existing:
            column_sql = ", ".join(
                f"{quote_identifier(name)} {duckdb_type(dtype)}" for name, dtype in columns.items()
            )
            con.execute(f"create table if not exists {table_ref(table)} ({column_sql})")
            if table == "document_sources" and "documents" in existing:
                _backfill_document_sources(con)
            continue
        for name, dtype in columns.items():
            if name not in existing[table]:
                con.execute(
                    f"alter table {table_ref(table)} add column "
                    f"{quote_identifier(name)} {duckdb_type(dtype)}"
                )
    ensure_duplicates_view(con)
    ensure_build_state(con)


def _backfill_document_sources(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse from before `raw.document_sources`: each document's own file holds it, and
    so does each copy that was then quarantined as a duplicate (an ingest error row, which
    becomes a row here instead)."""
    con.execute(
        f"insert into {table_ref('document_sources')} by name "
        f"select source_name, source_line, document_id, ingested_at as recorded_at "
        f"from {table_ref('documents')}"
    )
    copies = (
        f"select source_name, source_line, regexp_extract(reason, '{LEGACY_DUPLICATE}', 1) as document_id, "
        f"recorded_at from {table_ref('ingest_errors')} "
        f"where regexp_matches(reason, '{LEGACY_DUPLICATE}')"
    )
    con.execute(
        f"insert into {table_ref('document_sources')} by name "
        f"select * from ({copies}) where document_id in (select document_id from {table_ref('documents')})"
    )
    con.execute(
        f"delete from {table_ref('ingest_errors')} where regexp_matches(reason, '{LEGACY_DUPLICATE}')"
    )


# How landing used to record a duplicate, as an ingest error (a constant, not input).
LEGACY_DUPLICATE = r"^duplicate of document (\S+) already landed from "


DUPLICATES_VIEW = f"{RAW_SCHEMA}.duplicates"


def ensure_duplicates_view(con: duckdb.DuckDBPyConnection) -> None:
    """`raw.duplicates`: every record holding a document that another record (the first by
    source name, then line) also holds, with the file it duplicates. A view, so that it is
    always in step with `raw.document_sources` (a removed or edited copy leaves it at once)."""
    con.execute(
        f"""
        create or replace view {DUPLICATES_VIEW} as
        with ranked as (
            select
                source_name,
                source_line,
                document_id,
                first_value(source_name) over holders as duplicate_of,
                first_value(source_line) over holders as duplicate_of_line,
                row_number() over holders as copy_number,
                recorded_at
            from {table_ref('document_sources')}
            window holders as (
                partition by document_id order by source_name, source_line nulls first
            )
        )
        select * exclude (copy_number) from ranked where copy_number > 1
        """
    )


# --------------------------------------------------------------------------------------
# Build state: lets a refresh skip `dbt build` when the marts are already current.
#
# `raw_version` counts the transactions that changed a raw table; after a full, passing
# `dbt build`, the number it was built from and a digest of the dbt project are recorded
# beside it. The state lives in the warehouse file itself, so it is published (or
# discarded) atomically with the marts it describes.

STATE_SCHEMA = "attache_state"
BUILD_STATE = f"{STATE_SCHEMA}.build_state"


def ensure_build_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    con.execute(
        f"""
        create table if not exists {BUILD_STATE} (
            raw_version BIGINT not null,
            marts_raw_version BIGINT,
            marts_project_digest VARCHAR,
            marts_built_at TIMESTAMP
        )
        """
    )
    # A warehouse from before the state existed starts at version 0 with no marts recorded.
    con.execute(
        f"insert into {BUILD_STATE} (raw_version) "
        f"select 0 where not exists (select 1 from {BUILD_STATE})"
    )


def note_raw_changed(con: duckdb.DuckDBPyConnection) -> None:
    """Record that a raw table changed (call inside the transaction that changed it)."""
    con.execute(f"update {BUILD_STATE} set raw_version = raw_version + 1")


def _marts_state(con: duckdb.DuckDBPyConnection, project_digest: str) -> tuple[bool, bool]:
    """(the marts exist and were built by this dbt project, from the raw tables as they are)."""
    rows = con.execute(
        f"""
        select
            s.marts_project_digest = ?
                and (select count(*) from duckdb_tables() where schema_name = 'marts') > 0,
            s.marts_raw_version = s.raw_version
        from {BUILD_STATE} as s
        """,
        [project_digest],
    ).fetchall()
    if not rows:
        return False, False
    built_by_project, raw_unchanged = (bool(value) for value in rows[0])
    return built_by_project, built_by_project and raw_unchanged


def marts_are_current(con: duckdb.DuckDBPyConnection, project_digest: str) -> bool:
    """True when the marts were built, by this dbt project, from the raw tables as they are."""
    return _marts_state(con, project_digest)[1]


def marts_built_by(con: duckdb.DuckDBPyConnection, project_digest: str) -> bool:
    """True when the marts were built by this dbt project (from whatever raw tables): its
    seeds, and the models that read only them, are then as they would be built again."""
    return _marts_state(con, project_digest)[0]


def record_marts_built(
    con: duckdb.DuckDBPyConnection, project_digest: str, now: dt.datetime
) -> None:
    """Record that `dbt build` passed on the current raw tables: the whole project, or what
    reads the raw tables when the project is the one the marts were built by."""
    con.execute(
        f"update {BUILD_STATE} set marts_raw_version = raw_version, "
        "marts_project_digest = ?, marts_built_at = ?",
        [project_digest, now],
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """Make polars frames visible to SQL under the given names for the block's duration."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def query_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None = None
) -> pl.DataFrame:
    return con.sql(sql, params=params).pl()


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table_ref(table)}").fetchall()[0][0]


def known_source_files(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query_frame(
        con,
        f"select source_name, size_bytes, fingerprint from {table_ref('source_files')}"
    )


@dataclass(frozen=True)
class SourceChanges:
    """What a scan of the source folder means for the warehouse."""

    to_read: list[str]  # new files and files whose fingerprint changed
    unchanged: list[str]
    missing: list[str]  # known to the warehouse, gone from the folder


def compare_sources(scanned: pl.DataFrame, known: pl.DataFrame) -> SourceChanges:
    joined = scanned.select("source_name", "fingerprint").join(
        known.select("source_name", pl.col("fingerprint").alias("known_fingerprint")),
        on="source_name",
        how="left",
    )
    changed = joined.filter(
        pl.col("known_fingerprint").is_null() | (pl.col("fingerprint") != pl.col("known_fingerprint"))
    )
    unchanged = joined.filter(pl.col("fingerprint") == pl.col("known_fingerprint"))
    missing = known.join(scanned.select("source_name"), on="source_name", how="anti")
    return SourceChanges(
        to_read=sorted(changed["source_name"].to_list()),
        unchanged=sorted(unchanged["source_name"].to_list()),
        missing=sorted(missing["source_name"].to_list()),
    )


@dataclass(frozen=True)
class IngestLanding:
    new_documents: int  # document ids the warehouse did not hold before
    updated_documents: int  # re-landed ids (file changed) whose text also changed
    kept_documents: int  # re-landed ids whose text did not change: extraction kept
    removed_documents: int  # ids no file holds any more (gone with a file's new version, or pruned)
    errors: int  # error rows landed for the files read
    duplicates: int  # records of the files read that hold a document another record also holds


def _content_key(alias: str) -> str:
    """SQL for a hash of what extraction depends on: a document whose key is unchanged keeps
    its extracted rows when its file is re-read."""
    return (
        f"md5(concat_ws(chr(31), coalesce({alias}.body, ''), coalesce({alias}.language, ''), "
        f"coalesce(cast({alias}.published_at as varchar), '')))"
    )


# The reason ingest gives for a file it could not open (orchestration.ingest.files).
UNREADABLE_PREFIX = "cannot read file"


def files_to_reread(
    con: duckdb.DuckDBPyConnection, affected: Sequence[str], present: Sequence[str]
) -> list[str]:
    """Unchanged files (among `present`) that must be read again because a document they hold
    was landed from one of the `affected` files (changed or pruned): the surviving copy then
    becomes the document's row, with its own title, outlet and date."""
    if not affected:
        return []
    frames = {
        "affected_names": pl.DataFrame({"source_name": list(affected)}, schema={"source_name": pl.String}),
        "present_names": pl.DataFrame({"source_name": list(present)}, schema={"source_name": pl.String}),
    }
    with registered(con, **frames):
        rows = con.execute(
            f"""
            select distinct s.source_name
            from {table_ref('document_sources')} as s
            join {table_ref('documents')} as d using (document_id)
            where d.source_name in (select source_name from affected_names)
              and s.source_name not in (select source_name from affected_names)
              and s.source_name in (select source_name from present_names)
            order by 1
            """
        ).fetchall()
    return [row[0] for row in rows]


def land_ingest(
    con: duckdb.DuckDBPyConnection,
    *,
    scanned: pl.DataFrame,
    read_files: Sequence[str],
    documents: pl.DataFrame,
    errors: pl.DataFrame,
    pruned_files: Sequence[str],
    now: dt.datetime,
    duplicates: pl.DataFrame | None = None,
    defer_removals: bool = False,
) -> IngestLanding:
    """Replace, in one transaction, everything the warehouse holds for the files just read
    (and remove what it holds for pruned files).

    `documents` are the records read (several may carry one document id); `duplicates`
    (source_name, source_line, document_id) are further records that ingest found to hold a
    document already among `documents`. Every record lands in `raw.document_sources`; a
    document's row in `raw.documents` is its first copy (by source name, then line), and it
    is removed only when no record holds it any more.

    With `defer_removals` (files landed in several groups), a document no record holds any
    more stays until `remove_unheld_documents` runs after the last group: an article that
    moved to a file of a later group keeps its row and its extracted rows.
    """
    documents = schemas.conform(documents, schemas.DOCUMENTS)
    errors = schemas.conform(errors, schemas.INGEST_ERRORS)
    holders = pl.concat(
        [
            schemas.conform(documents, schemas.DOCUMENT_SOURCES),
            schemas.conform(
                duplicates if duplicates is not None else schemas.empty(schemas.DOCUMENT_SOURCES),
                schemas.DOCUMENT_SOURCES,
            ),
        ]
    ).unique(maintain_order=True)
    # One row per document id within the batch: the first copy (by file, then line).
    first_copies = documents.sort(["source_name", "source_line"], nulls_last=False).unique(
        subset="document_id", keep="first", maintain_order=True
    )
    affected = pl.DataFrame(
        {"source_name": sorted(set(read_files) | set(pruned_files))}, schema={"source_name": pl.String}
    )
    per_file = (
        scanned.filter(pl.col("source_name").is_in(list(read_files)))
        .select("source_name", "size_bytes", "fingerprint")
        .join(holders.group_by("source_name").len("n_documents"), on="source_name", how="left")
        .join(errors.group_by("source_name").len("n_errors"), on="source_name", how="left")
        .with_columns(pl.col("n_documents", "n_errors").fill_null(0).cast(pl.Int32))
    )
    # A file that could not be opened this time (permission, I/O) still holds what it held:
    # its copies stay recorded until it can be read again (or is pruned).
    unreadable = errors.filter(
        pl.col("source_line").is_null() & pl.col("reason").str.starts_with(UNREADABLE_PREFIX)
    ).select("source_name").unique()
    frames = {
        "unreadable_files": unreadable,
        "incoming_documents": first_copies,
        "incoming_holders": holders,
        "affected_files": affected,
        "new_errors": errors,
        "read_listing": per_file,
    }
    with transaction(con), registered(con, **frames):
        _replace_holders(con, now)
        counts = _replace_documents(con, now, defer_removals)
        _replace_file_rows(con, now)
        n_duplicates = con.execute(
            f"select count(*) from {DUPLICATES_VIEW} "
            "where source_name in (select source_name from affected_files)"
        ).fetchall()[0][0]
        if affected.height:
            note_raw_changed(con)
    return IngestLanding(
        new_documents=counts[0],
        updated_documents=counts[1],
        kept_documents=counts[2],
        removed_documents=counts[3],
        errors=errors.height,
        duplicates=n_duplicates,
    )


def _replace_holders(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
    """Swap the affected files' rows of raw.document_sources, remembering which documents
    they touched (held before or hold now) in the temp table `touched_documents`."""
    sources_ref, docs_ref = table_ref("document_sources"), table_ref("documents")
    con.execute(
        f"""
        create or replace temp table touched_documents as
        select document_id from {sources_ref}
        where source_name in (select source_name from affected_files)
        union
        select document_id from {docs_ref}
        where source_name in (select source_name from affected_files)
        union
        select document_id from incoming_holders
        """
    )
    con.execute(
        f"""
        delete from {sources_ref}
        where source_name in (select source_name from affected_files)
          and source_name not in (select source_name from unreadable_files)
        """
    )
    con.execute(f"insert into {sources_ref} by name select *, ? as recorded_at from incoming_holders", [now])


def _replace_documents(
    con: duckdb.DuckDBPyConnection, now: dt.datetime, defer_removals: bool = False
) -> tuple[int, int, int, int]:
    """Bring raw.documents (and the extracted tables) in step with raw.document_sources for
    the touched documents. Returns (new, updated, kept, removed) counts."""
    docs_ref, sources_ref = table_ref("documents"), table_ref("document_sources")
    # The first remaining copy of each touched document (none: no file holds it any more).
    con.execute(
        f"""
        create or replace temp table primary_copies as
        select document_id, source_name, source_line from (
            select *, row_number() over (
                partition by document_id order by source_name, source_line nulls first
            ) as copy_number
            from {sources_ref}
            where document_id in (select document_id from touched_documents)
        )
        where copy_number = 1
        """
    )
    con.execute(
        f"""
        create or replace temp table previous_documents as
        select
            document_id, source_name, source_line, ingested_at, extractor_version, extracted_at,
            {_content_key("d")} as content_key
        from {docs_ref} as d
        where document_id in (select document_id from touched_documents)
        """
    )
    # A document's row is re-landed from the copy just read when that copy is its first
    # one (or the warehouse had no row for it); else its row stays, pointed at its first copy.
    con.execute(
        f"""
        create or replace temp table landing_documents as
        select
            l.*,
            coalesce(p.ingested_at, ?) as ingested_at,
            case when p.content_key = {_content_key("l")} then p.extractor_version end
                as extractor_version,
            case when p.content_key = {_content_key("l")} then p.extracted_at end
                as extracted_at,
            p.document_id is not null as was_present,
            coalesce(p.content_key = {_content_key("l")}, false) as text_unchanged
        from incoming_documents as l
        join primary_copies as c using (document_id)
        left join previous_documents as p using (document_id)
        where (l.source_name = c.source_name and l.source_line is not distinct from c.source_line)
            or p.document_id is null
        """,
        [now],
    )
    con.execute(
        """
        create or replace temp table gone_documents as
        select document_id from previous_documents
        where document_id not in (select document_id from primary_copies)
            and not ?
        """,
        [defer_removals],
    )
    # Extracted rows of documents that are gone or whose text changed.
    con.execute(
        """
        create or replace temp table stale_documents as
        select document_id from gone_documents
        union
        select document_id from landing_documents where was_present and not text_unchanged
        """
    )
    for table in schemas.EXTRACTED_TABLES:
        con.execute(
            f"delete from {table_ref(table)} "
            "where document_id in (select document_id from stale_documents)"
        )
    con.execute(
        f"""
        delete from {docs_ref}
        where document_id in (select document_id from gone_documents)
           or document_id in (select document_id from landing_documents)
        """
    )
    con.execute(
        f"insert into {docs_ref} by name "
        "select * exclude (was_present, text_unchanged) from landing_documents"
    )
    # Documents kept as they were whose first copy is now another record.
    con.execute(
        f"""
        update {docs_ref} as d
        set source_name = c.source_name, source_line = c.source_line
        from primary_copies as c
        where d.document_id = c.document_id
          and (d.source_name <> c.source_name or d.source_line is distinct from c.source_line)
        """
    )
    counts = con.execute(
        """
        select
            count(*) filter (where not was_present),
            count(*) filter (where was_present and not text_unchanged),
            count(*) filter (where text_unchanged),
            (select count(*) from gone_documents)
        from landing_documents
        """
    ).fetchall()[0]
    for temp in (
        "touched_documents", "primary_copies", "previous_documents", "landing_documents",
        "gone_documents", "stale_documents",
    ):
        con.execute(f"drop table {temp}")
    return counts


def remove_unheld_documents(con: duckdb.DuckDBPyConnection) -> int:
    """Remove the documents (and their extracted rows) that no record of raw.document_sources
    holds: the removals `land_ingest(defer_removals=True)` left for the end. Returns how many."""
    docs_ref, sources_ref = table_ref("documents"), table_ref("document_sources")
    with transaction(con):
        con.execute(
            f"""
            create or replace temp table unheld_documents as
            select document_id from {docs_ref}
            where document_id not in (select document_id from {sources_ref})
            """
        )
        removed = con.execute("select count(*) from unheld_documents").fetchall()[0][0]
        if removed:
            for table in (*schemas.EXTRACTED_TABLES, "documents"):
                con.execute(
                    f"delete from {table_ref(table)} "
                    "where document_id in (select document_id from unheld_documents)"
                )
            note_raw_changed(con)
        con.execute("drop table unheld_documents")
    return removed


def _replace_file_rows(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
    """Swap the affected files' rows of raw.ingest_errors and raw.source_files."""
    for table, insert in (
        ("ingest_errors", "select *, ? as recorded_at from new_errors"),
        ("source_files", "select *, ? as ingested_at from read_listing"),
    ):
        con.execute(
            f"delete from {table_ref(table)} where source_name in (select source_name from affected_files)"
        )
        con.execute(f"insert into {table_ref(table)} by name {insert}", [now])


def documents_pending_extraction(con: duckdb.DuckDBPyConnection, extractor_version: str) -> list[str]:
    """Ids of documents never extracted, or extracted by another extractor version."""
    rows = con.execute(
        f"""
        select document_id from {table_ref("documents")}
        where extractor_version is distinct from ?
        order by document_id
        """,
        [extractor_version],
    ).fetchall()
    return [row[0] for row in rows]


def read_documents_for_extraction(
    con: duckdb.DuckDBPyConnection, document_ids: Sequence[str]
) -> pl.DataFrame:
    """The documents to extract, without `raw_text` (extraction reads the clean body)."""
    ids = pl.DataFrame({"document_id": list(document_ids)}, schema={"document_id": pl.String})
    with registered(con, batch_ids=ids):
        return query_frame(
            con,
            f"""
            select * exclude (raw_text, ingested_at, extractor_version, extracted_at)
            from {table_ref("documents")}
            where document_id in (select document_id from batch_ids)
            order by document_id
            """
        )


def replace_extracted(
    con: duckdb.DuckDBPyConnection,
    document_ids: Sequence[str],
    extracted: dict[str, pl.DataFrame],
    extractor_version: str,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Swap the extracted rows of these documents for new ones, in one transaction, and mark
    the documents as extracted with this version at `now` (default: the current UTC time).
    Returns rows inserted per table."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    missing = set(schemas.EXTRACTED_TABLES) - set(extracted)
    if missing:
        raise ValueError(f"extract() returned no frame for {sorted(missing)}")
    ids = pl.DataFrame({"document_id": list(document_ids)}, schema={"document_id": pl.String})
    frames = {
        table: schemas.conform(extracted[table], schema).filter(
            pl.col("document_id").is_in(ids["document_id"].implode())
        )
        for table, schema in schemas.EXTRACTED_TABLES.items()
    }
    inserted: dict[str, int] = {}
    if ids.is_empty():
        return {table: 0 for table in frames}
    with transaction(con), registered(con, batch_ids=ids):
        # Only documents extracted before (by another version) have rows to delete: on a
        # first load this skips a scan of every extracted table per batch.
        re_extracted = con.execute(
            f"select count(*) from {table_ref('documents')} "
            "where extractor_version is not null "
            "and document_id in (select document_id from batch_ids)"
        ).fetchall()[0][0]
        for table, frame in frames.items():
            if re_extracted:
                con.execute(
                    f"delete from {table_ref(table)} "
                    "where document_id in (select document_id from batch_ids)"
                )
            with registered(con, extracted_rows=frame):
                con.execute(
                    f"insert into {table_ref(table)} by name "
                    "select *, ? as extractor_version from extracted_rows",
                    [extractor_version],
                )
            inserted[table] = frame.height
        con.execute(
            f"update {table_ref('documents')} set extractor_version = ?, extracted_at = ? "
            "where document_id in (select document_id from batch_ids)",
            [extractor_version, now],
        )
        note_raw_changed(con)
    return inserted
