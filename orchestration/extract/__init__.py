"""Extraction: pure polars functions from documents to sentences, mentions, events, figures.

    extract(documents, reference) -> {"sentences": ..., "entity_mentions": ...,
                                      "event_mentions": ..., "figure_mentions": ...}
    extract_batches(batches, reference, workers) -> (documents, extracted) per batch, in order
    even_batches(items, max_size) -> as few batches as `max_size` allows, of equal sizes

`documents` carries at least document_id, body, language, published_at; every result frame
conforms to its schema in `orchestration.schemas`. Nothing here knows of Dagster or DuckDB.
Where each rule lives: event_rules.py (event triggers, per language, with examples), cue_rules.py
(modality and exclusion cues around a trigger, per language, with examples), figure_rules.py
(economic terms), patterns.py (the other regexes and word lists), text.py (sentences, match
offsets), entities.py, dates.py, events.py, figures.py.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import polars as pl

from orchestration import schemas
from orchestration.extract.dates import date_mentions
from orchestration.extract.entities import entity_mentions
from orchestration.extract.events import extract_events, find_triggers
from orchestration.extract.figures import extract_figures, find_amounts
from orchestration.extract.text import ENGINE, materialise
from orchestration.extract.text import sentences as split_sentences
from orchestration.reference import SEEDS_DIR, Reference, load_reference, seed_fingerprint

T = TypeVar("T")

__all__ = ["even_batches", "extract", "extract_batches", "extractor_version"]


def _rules_fingerprint() -> str:
    """A hash of the extractor's, the gazetteer loader's and the keys' source: editing a rule,
    or how a row's key is made, changes it."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    sources = [*package.glob("*.py"), *(package.parent / "reference").glob("*.py"), package.parent / "keys.py"]
    for path in sorted(sources):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def extractor_version() -> str:
    """The release number, a fingerprint of the rules' source and one of the reference data
    (cheap hashes, no inflection): editing either makes the next refresh re-extract every
    document, so no table mixes rows of two extractors."""
    return f"{schemas.EXTRACTOR_VERSION}+{_rules_fingerprint()}.{seed_fingerprint(SEEDS_DIR)}"


def extract(documents: pl.DataFrame, reference: Reference | None = None) -> dict[str, pl.DataFrame]:
    reference = reference or load_reference()
    docs = documents.lazy().select(
        "document_id",
        pl.col("body").fill_null(""),
        pl.col("language") if "language" in documents.columns else pl.lit("ru").alias("language"),
        pl.col("published_at").cast(pl.Date) if "published_at" in documents.columns else pl.lit(None, dtype=pl.Date).alias("published_at"),
    )
    sentences = split_sentences(docs).pipe(materialise)
    mentions = entity_mentions(sentences, reference).pipe(materialise)
    triggers = find_triggers(sentences, docs).pipe(materialise)
    amounts = find_amounts(sentences, docs).pipe(materialise)
    # dates serve events and figures only: they are read in the documents holding either
    in_scope = pl.concat([triggers.select("document_id"), amounts.select("document_id")]).unique()
    dates = date_mentions(sentences.join(in_scope, on="document_id", how="semi"), docs).pipe(materialise)
    # bodies whose summits are their members' (SCO, APEC, "Центральная Азия – Китай"), not the UN's sessions
    formats = reference.organisations.filter(pl.col("summits_of_members") == "true").select(
        pl.col("organisation_id"), pl.col("member_countries").alias("format_members")
    )
    memberships = reference.memberships.join(formats.select("organisation_id"), on="organisation_id", how="semi")
    heads_of_state = reference.actors.filter(pl.col("role") == "head_of_state").select(pl.col("actor_id").alias("entity_id"))
    events = extract_events(
        sentences, mentions, dates, docs, formats=formats.lazy(), memberships=memberships.lazy(), heads_of_state=heads_of_state.lazy(), triggers=triggers
    )
    figures = extract_figures(sentences, mentions, dates, docs, amounts=amounts)
    frames = {
        "sentences": sentences,
        "entity_mentions": mentions,
        "event_mentions": events,
        "figure_mentions": figures,
    }
    return {
        name: schemas.conform(frame.collect(engine=ENGINE), schemas.EXTRACTED_TABLES[name]) for name, frame in frames.items()
    }


def even_batches(items: Sequence[T], max_size: int) -> list[Sequence[T]]:
    """`items` in as few batches of at most `max_size` as possible, of sizes differing by at
    most one: 8,758 documents in batches of 5,000 are 4,379 + 4,379, not 5,000 + 3,758, so
    that two workers finish together."""
    count = -(-len(items) // max_size)  # ceiling
    bounds = [len(items) * k // count for k in range(count + 1)] if count else [0]
    return [items[start:stop] for start, stop in zip(bounds, bounds[1:])]


def extract_batches(
    batches: Iterable[pl.DataFrame], reference: Reference | None = None, workers: int = 2
) -> Iterator[tuple[pl.DataFrame, dict[str, pl.DataFrame]]]:
    """`extract` over batches of documents, `workers` batches at a time: (documents, extracted)
    per batch, in the order given. polars releases the GIL while it computes, and one batch's
    plan leaves a core idle much of the time (string work runs on one thread), so threads are
    enough. At most `workers` batches are read ahead of the caller, which bounds memory."""
    with ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="extract") as pool:
        running: deque[tuple[pl.DataFrame, Future]] = deque()
        for documents in batches:
            reference = reference or load_reference()  # not at all when there is nothing to extract
            running.append((documents, pool.submit(extract, documents, reference)))
            if len(running) >= workers:
                documents, future = running.popleft()
                yield documents, future.result()
        while running:
            documents, future = running.popleft()
            yield documents, future.result()
