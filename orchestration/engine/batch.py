"""What the engine yields per batch, wherever the batch was extracted."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class ExtractedBatch:
    """One batch's extracted frames, as the asset lands them, and where it was extracted."""

    document_ids: list[str]
    frames: dict[str, pl.DataFrame]
    worker: str  # host:pid of a cluster worker, or "in-process"
