"""`attache shell`: the DuckDB CLI on the published warehouse, read-only.

The CLI is the `duckdb-cli` package of the `shell` dependency group (DuckDB 1.5, which reads
the published file: it is written in storage v1.0.0). `make run` does not install it; the
first `attache shell` does, with the project's uv and uv.lock (`uv sync --frozen --inexact
--group shell`), so the version is the locked one.

`-readonly` opens the file without write access. A refresh never opens the published file for
writing (it builds a copy and renames it over the name), so an open shell never holds a lock
a refresh waits for; the shell keeps reading the build it opened until it is restarted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHELL_GROUP = "shell"


class ShellUnavailable(RuntimeError):
    """The DuckDB CLI is not installed and could not be installed."""


def cli_path() -> Path:
    """Where the `duckdb` command of this environment is (or will be once installed)."""
    return Path(sys.executable).with_name("duckdb")


def uv_command() -> list[str]:
    """uv from PATH, else `python3 -m uv` (as the Makefile finds it)."""
    uv = shutil.which("uv")
    if uv:
        return [uv]
    python = shutil.which("python3") or sys.executable
    return [python, "-m", "uv"]


def install_cli() -> None:
    """Add the `shell` group to this environment from uv.lock (nothing else changes)."""
    command = [*uv_command(), "sync", "--frozen", "--inexact", "--group", SHELL_GROUP]
    print(f"attache shell: installing the DuckDB CLI once: {' '.join(command)}", file=sys.stderr)
    environment = {**os.environ, "UV_PROJECT_ENVIRONMENT": sys.prefix}
    try:
        result = subprocess.run(command, cwd=REPO_ROOT, env=environment, check=False)
    except FileNotFoundError as error:
        raise ShellUnavailable(f"uv is not installed ({error}); run `make venv` first") from error
    if result.returncode != 0 or not cli_path().exists():
        raise ShellUnavailable(
            f"could not install the DuckDB CLI (exit {result.returncode}); "
            f"try `{' '.join(command)}` in {REPO_ROOT}"
        )


def ensure_cli() -> Path:
    if not cli_path().exists():
        install_cli()
    return cli_path()


def shell_command(cli: Path, warehouse: Path) -> list[str]:
    return [str(cli), "-readonly", str(warehouse)]
