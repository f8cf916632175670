"""A digest of the dbt project's own files, without importing dbt or Dagster.

The marts record the digest of the project that built them (`attache_state.build_state`):
marts built by another digest are rebuilt. Kept apart from `orchestration.dbt` so that a
refresh can tell that nothing changed before it imports dbt (seconds of start-up).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

# Folders of the project that dbt writes to, not sources of the manifest.
GENERATED_DIRS = {"target", "logs", "dbt_packages"}


def project_files(project_dir: Path) -> Iterator[Path]:
    for path in project_dir.iterdir():
        if path.name in GENERATED_DIRS or path.name.startswith("."):
            continue
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def project_digest(project_dir: Path) -> str:
    """sha256 over the dbt project's own files (models, seeds, macros, tests, configuration)
    and the dbt version (as installed: the same string as `dbt.version.__version__`)."""
    digest = hashlib.sha256(f"dbt {version('dbt-core')}\n".encode())
    for path in sorted(project_files(project_dir)):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
