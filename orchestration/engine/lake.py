"""The lake: a folder (local path or fsspec URL) where driver and workers exchange Parquet.

One refresh writes under `<lake>/<run folder>/`: `input/batch-00001.parquet` (the documents
of a batch) and `output/batch-00001/<table>.parquet` (what a worker extracted from it). The
driver removes its run folder once everything is landed; a failed run leaves it for
inspection, and the next run starts a folder of its own.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class LakeFolder:
    """One folder of the lake, by URL (a plain path is a local folder)."""

    url: str

    def child(self, *names: str) -> LakeFolder:
        return LakeFolder("/".join([self.url.rstrip("/"), *names]))

    def file(self, name: str) -> str:
        return f"{self.url.rstrip('/')}/{name}"

    def make(self) -> None:
        fs, path = _filesystem(self.url)
        fs.makedirs(path, exist_ok=True)

    def remove(self) -> None:
        fs, path = _filesystem(self.url)
        if fs.exists(path):
            fs.rm(path, recursive=True)


def new_run_folder(lake: LakeFolder) -> LakeFolder:
    """A folder of its own for this run: UTC time (sorts) and a random suffix (unique)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = lake.child(f"run-{stamp}-{uuid.uuid4().hex[:8]}")
    folder.make()
    return folder


def write_parquet(frame: pl.DataFrame, url: str) -> None:
    # A temporary name, renamed once complete: a reader never sees half a file.
    fs, path = _filesystem(url)
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    partial = f"{path}.partial"
    with fs.open(partial, "wb") as handle:
        frame.write_parquet(handle)
    fs.mv(partial, path)


def read_parquet(url: str) -> pl.DataFrame:
    fs, path = _filesystem(url)
    with fs.open(path, "rb") as handle:
        return pl.read_parquet(handle)


def _filesystem(url: str):
    """fsspec's file system for a URL (a plain path: the local one), and the path within it."""
    from fsspec.core import url_to_fs  # only when a cluster runs

    return url_to_fs(url)
