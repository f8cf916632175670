"""The extraction engine as a Dagster resource: in-process threads, or a Dask cluster."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import Field

from orchestration.engine.batch import ExtractedBatch
from orchestration.engine.lake import LakeFolder
from orchestration.engine.spec import ClusterSpec, ClusterSpecError
from orchestration.extract import extract_batches

CLUSTER_ENV = "ATTACHE_CLUSTER"
LAKE_ENV = "ATTACHE_LAKE"
IN_PROCESS = "in-process"
BATCHES_IN_FLIGHT_PER_WORKER = 2

__all__ = ["ClusterSpec", "ClusterSpecError", "ExtractionEngine"]


class ExtractionEngine(dg.ConfigurableResource):
    """Where `extract_mentions` extracts: in this process, or on a Dask cluster.

    In-process, batches are extracted `workers` at a time in threads. With `cluster`
    (`local:N`, or a scheduler's address), each batch goes through the lake as Parquet to a
    worker process and comes back the same way; the rows are the same either way.
    """

    cluster: str = Field(
        default="",
        description="local:N (N worker processes on this machine), a Dask scheduler address "
        "(tcp://host:8786), or empty: $ATTACHE_CLUSTER, else in-process.",
    )
    lake: str = Field(
        default="",
        description="Folder or fsspec URL the driver and the workers share; empty: "
        "$ATTACHE_LAKE, else lake/ beside the warehouse file.",
    )
    connect_timeout_seconds: float = Field(
        default=30.0, description="How long to wait for a scheduler (and its first worker)."
    )

    def spec(self) -> ClusterSpec | None:
        text = self.cluster or os.environ.get(CLUSTER_ENV, "")
        return ClusterSpec.parse(text) if text.strip() else None

    def describe(self) -> str:
        spec = self.spec()
        return f"dask {spec.describe()}" if spec else IN_PROCESS

    def lake_folder(self, warehouse_directory: Path) -> LakeFolder:
        url = self.lake or os.environ.get(LAKE_ENV) or str(warehouse_directory / "lake")
        return LakeFolder(url if "://" in url else str(Path(url).expanduser().resolve()))

    def extract(
        self,
        batches: Iterable[pl.DataFrame],
        *,
        version: str,
        workers: int,
        warehouse_directory: Path,
    ) -> Iterator[ExtractedBatch]:
        """Extracted frames per batch of documents, in the order given."""
        spec = self.spec()
        if spec is None:
            for documents, frames in extract_batches(batches, workers=workers):
                yield ExtractedBatch(documents["document_id"].to_list(), frames, IN_PROCESS)
            return
        yield from self._extract_on_cluster(spec, batches, version, warehouse_directory)

    def _extract_on_cluster(
        self, spec: ClusterSpec, batches: Iterable[pl.DataFrame], version: str, warehouse_directory: Path
    ) -> Iterator[ExtractedBatch]:
        # the cluster's modules (and Dask) are imported only when a cluster is asked for
        from orchestration.engine.cluster import dask_client, extract_on_cluster, worker_count
        from orchestration.engine.lake import new_run_folder

        batches = iter(batches)
        first = next(batches, None)
        if first is None:  # nothing to extract: no cluster started
            return
        run_folder = new_run_folder(self.lake_folder(warehouse_directory))
        with dask_client(spec, self.connect_timeout_seconds) as client:
            in_flight = BATCHES_IN_FLIGHT_PER_WORKER * max(worker_count(client), 1)
            batches = itertools.chain([first], batches)
            yield from extract_on_cluster(client, batches, run_folder, version, in_flight)
        run_folder.remove()  # everything landed; a failed run keeps its folder to inspect

