"""Where extraction runs: in this process (threads), or on a Dask cluster.

    ExtractionEngine(cluster="")           in-process: `orchestration.extract.extract_batches`
    ExtractionEngine(cluster="local:4")    a LocalCluster of 4 worker processes on 127.0.0.1
    ExtractionEngine(cluster="tcp://h:8786")  an existing Dask scheduler (any number of machines)

On a cluster, the driver writes each batch of documents as Parquet to the lake
(`warehouse/lake/` by default, any fsspec URL in principle), each worker reads its batch,
extracts it and writes the four frames as Parquet beside it, and the driver reads them back
and lands them in the working copy (`lake.py`, `cluster.py`, `tasks.py`). Either way the
engine yields the same (document ids, extracted frames) per batch, so the asset that lands
them does not know where extraction ran.
"""

from orchestration.engine.resource import ClusterSpec, ClusterSpecError, ExtractionEngine

__all__ = ["ClusterSpec", "ClusterSpecError", "ExtractionEngine"]
