"""`--cluster local:N | ADDRESS`, parsed once, with a clear error for anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass

LOCAL_PATTERN = re.compile(r"^local:(\d+)$")
# tcp://host:8786, tls://host:8786, host:8786 (Dask's own address forms)
ADDRESS_PATTERN = re.compile(r"^(?:(?:tcp|tls|ucx|inproc)://)?[\w.\-\[\]:]+:\d+$")
MAX_LOCAL_WORKERS = 256


class ClusterSpecError(ValueError):
    """A `--cluster` value that is neither `local:N` nor a scheduler address."""


@dataclass(frozen=True)
class ClusterSpec:
    """Either `local_workers` (start a local cluster) or `address` (join one)."""

    local_workers: int | None = None
    address: str | None = None

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        text = text.strip()
        local = LOCAL_PATTERN.match(text)
        if local:
            workers = int(local.group(1))
            if not 1 <= workers <= MAX_LOCAL_WORKERS:
                raise ClusterSpecError(f"local:N needs 1 <= N <= {MAX_LOCAL_WORKERS}, got {text!r}")
            return cls(local_workers=workers)
        if ADDRESS_PATTERN.match(text) and not text.startswith("local:"):
            return cls(address=text if "://" in text else f"tcp://{text}")
        raise ClusterSpecError(
            f"--cluster {text!r}: expected local:N (N worker processes on this machine) or the "
            "address of a Dask scheduler such as tcp://10.0.0.5:8786"
        )

    def describe(self) -> str:
        return f"local:{self.local_workers}" if self.local_workers else str(self.address)
