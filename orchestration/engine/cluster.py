"""The driver's side of extraction on a Dask cluster: start or join it, hand out batches
through the lake, read back what the workers wrote.

A batch is `input/batch-N.parquet` in the run's lake folder; a worker's task
(`tasks.extract_batch`) reads it and writes `output/batch-N/<table>.parquet`. At most
`in_flight` batches are out at once (written and not yet landed), which bounds both the
driver's memory and the lake's size; results are taken in the order batches were sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import polars as pl

from orchestration.engine.batch import ExtractedBatch
from orchestration.engine.lake import LakeFolder, read_parquet, write_parquet
from orchestration.engine.spec import ClusterSpec
from orchestration.engine.tasks import BatchResult, extract_batch


class ClusterUnavailable(RuntimeError):
    """The scheduler at `--cluster ADDRESS` could not be reached, or has no workers."""


class ExtractorMismatch(RuntimeError):
    """A worker runs another extractor version than the driver: its rows would mix versions."""


@contextmanager
def dask_client(spec: ClusterSpec, connect_timeout_seconds: float) -> Iterator[object]:
    """A `distributed.Client` on a local cluster started for the block, or on the scheduler
    at `spec.address`. A local cluster listens on 127.0.0.1 only and has no dashboard."""
    from distributed import Client, LocalCluster  # imported only when a cluster is asked for

    if spec.local_workers:
        cluster = LocalCluster(
            n_workers=spec.local_workers,
            threads_per_worker=1,  # one extraction per process; polars threads within it
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(spec.address, timeout=f"{connect_timeout_seconds}s")
    except (OSError, TimeoutError, asyncio.CancelledError) as error:  # refused, silent, unknown host
        raise ClusterUnavailable(f"no Dask scheduler answered at {spec.address}: {error}") from error
    with client:
        if not client.scheduler_info()["workers"]:
            client.wait_for_workers(1, timeout=connect_timeout_seconds)
        yield client


def worker_count(client) -> int:
    return len(client.scheduler_info()["workers"])


def extract_on_cluster(
    client,
    batches: Iterable[pl.DataFrame],
    run_folder: LakeFolder,
    expected_version: str,
    in_flight: int,
) -> Iterator[ExtractedBatch]:
    """Send each batch of documents to the cluster through the lake; yield what came back,
    in the order sent. Raises the worker's own error when a task fails."""
    inputs, outputs = run_folder.child("input"), run_folder.child("output")
    sent: deque[tuple[list[str], object]] = deque()
    try:
        for number, documents in enumerate(batches, start=1):
            name = f"batch-{number:05d}"
            url = inputs.file(f"{name}.parquet")
            write_parquet(documents, url)
            future = client.submit(extract_batch, url, outputs, name, key=f"{run_folder.url}/{name}", pure=False)
            sent.append((documents["document_id"].to_list(), future))
            del documents  # the worker reads it from the lake
            if len(sent) >= in_flight:
                yield _collect(*sent.popleft(), expected_version)
        while sent:
            yield _collect(*sent.popleft(), expected_version)
    finally:
        for _, future in sent:  # a failed or abandoned run stops what it sent
            future.cancel()


def _collect(document_ids: list[str], future, expected_version: str) -> ExtractedBatch:
    result: BatchResult = future.result()
    if result.extractor_version != expected_version:
        raise ExtractorMismatch(
            f"worker {result.worker} runs extractor {result.extractor_version}, this process "
            f"{expected_version}: install the same Attaché on every worker"
        )
    frames = {table: read_parquet(url) for table, url in result.tables.items()}
    return ExtractedBatch(document_ids=document_ids, frames=frames, worker=result.worker)
