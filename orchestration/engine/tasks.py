"""What a cluster worker runs: read a batch from the lake, extract it, write the frames back.

Plain functions of URLs and names, so that Dask sends only those over the network; the
worker imports `orchestration` itself (it must be installed where the workers run) and
loads the gazetteer once per process (`load_reference` is cached).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from orchestration import schemas
from orchestration.engine.lake import LakeFolder, read_parquet, write_parquet
from orchestration.extract import extract, extractor_version


@dataclass(frozen=True)
class BatchResult:
    """Where a worker wrote one batch's frames, and who it was (checked by the driver)."""

    batch_name: str
    tables: dict[str, str]  # table -> Parquet URL
    rows: dict[str, int]
    extractor_version: str
    worker: str  # host:pid of the process that extracted it


def extract_batch(input_url: str, output: LakeFolder, batch_name: str) -> BatchResult:
    documents = read_parquet(input_url)
    extracted = extract(documents)
    folder = output.child(batch_name)
    tables = {}
    for table in schemas.EXTRACTED_TABLES:
        url = folder.file(f"{table}.parquet")
        write_parquet(extracted[table], url)
        tables[table] = url
    return BatchResult(
        batch_name=batch_name,
        tables=tables,
        rows={table: frame.height for table, frame in extracted.items()},
        extractor_version=extractor_version(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
