"""`attache docs`: the data dictionary, dbt docs of the published marts.

dbt's catalog (column types, row counts) needs a database connection, and dbt-duckdb opens its
database for writing, which would lock the published file against readers. So the catalog is
generated from a private copy of the published file, in a temporary folder (copied from one
open file: one build, even if a refresh publishes meanwhile). The published file is only read.

    attache docs                 generate, then serve on http://127.0.0.1:8080 (Ctrl-C stops)
    attache docs --out DIR       write the static site to DIR (index.html, static_index.html,
                                 manifest.json, catalog.json) and exit
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.analyst.warehouse import WarehouseNotFound

# What a dbt docs site is made of, in dbt's target folder.
SITE_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")


class DocsFailed(RuntimeError):
    """`dbt docs generate` failed."""


def generate_site(warehouse: Path, out: Path) -> Path:
    """Write the dbt docs site of `warehouse` into `out`; returns `out`."""
    if not warehouse.is_file():
        raise WarehouseNotFound(f"no warehouse at {warehouse}; run `attache refresh` first")
    with tempfile.TemporaryDirectory(prefix="attache-docs-") as scratch:
        scratch_dir = Path(scratch)
        private_copy = scratch_dir / warehouse.name  # dbt names the database after the file
        with warehouse.open("rb") as published, private_copy.open("wb") as copy:
            shutil.copyfileobj(published, copy, 1 << 20)
        target = scratch_dir / "target"
        _run_dbt_docs_generate(private_copy, target)
        out.mkdir(parents=True, exist_ok=True)
        for name in SITE_FILES:
            shutil.copyfile(target / name, out / name)
    return out


def _run_dbt_docs_generate(database: Path, target: Path) -> None:
    from orchestration.dbt import DBT_PROJECT_DIR, dbt_executable
    from orchestration.resources import DBT_DATABASE_ENV

    command = [
        dbt_executable(), "docs", "generate", "--static", "--quiet",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target),
        "--log-path", str(target),
        "--no-send-anonymous-usage-stats",
    ]  # fmt: skip
    environment = {**os.environ, DBT_DATABASE_ENV: str(database)}
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        details = (result.stdout + result.stderr).strip() or f"exit {result.returncode}"
        raise DocsFailed(f"dbt docs generate failed: {details}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


def make_server(site: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


@contextmanager
def temporary_site(warehouse: Path) -> Iterator[Path]:
    """A generated site in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="attache-docs-site-") as folder:
        yield generate_site(warehouse, Path(folder))
