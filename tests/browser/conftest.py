"""A real browser for the dashboard tests: Debian's Chromium driven by Playwright.

Playwright's own browser download is never used (`playwright install` needs the network and
a browser build this machine may not run): the tests launch the system Chromium through
`executable_path`. When it is missing, the session installs Debian's `chromium` package
with apt-get if it runs as root; otherwise the tests skip and say why.
"""

from __future__ import annotations

import gzip
import os
import selectors
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
APT_TIMEOUT_SECONDS = 900
# Headless in a container as root: no sandbox, no GPU; and no background traffic, which a
# closed network refuses (and which a test of an offline page must not make).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _installed_chromium() -> str | None:
    override = os.environ.get("ATTACHE_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    return next((path for path in CHROMIUM_PATHS if Path(path).exists()), None)


def _install_chromium() -> str:
    """apt-get install chromium, or pytest.skip with the reason it cannot be done."""
    if os.geteuid() != 0:
        pytest.skip("no Chromium at /usr/bin/chromium, and not root to `apt-get install chromium`")
    if shutil.which("apt-get") is None:
        pytest.skip("no Chromium at /usr/bin/chromium, and no apt-get to install Debian's chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"`{' '.join(command)}` took over {APT_TIMEOUT_SECONDS} s; no browser")
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            pytest.skip(f"`{' '.join(command)}` failed, no browser to test with: {' | '.join(tail)}")
    installed = _installed_chromium()
    if installed is None:
        pytest.skip("apt-get installed chromium but /usr/bin/chromium is still missing")
    return installed


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return _installed_chromium() or _install_chromium()


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev group) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class DashboardProcess:
    """`attache dashboard` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, warehouse: Path):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orchestration.cli",
                "dashboard",
                "--warehouse",
                str(warehouse),
                "--port",
                "0",
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = self._read_url(timeout_seconds=60)

    def _read_url(self, timeout_seconds: float) -> str:
        """The URL from the command's first line: 'Dashboard on http://127.0.0.1:PORT ...'."""
        selector = selectors.DefaultSelector()
        selector.register(self.process.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout_seconds
        seen = []
        while time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = self.process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("Dashboard on "):
                return line.split()[2]
        self.stop()
        raise RuntimeError(f"attache dashboard did not start: {''.join(seen)!r}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


@pytest.fixture(scope="module")
def dashboard(built_warehouse: Path) -> Iterator[str]:
    """The dashboard on the warehouse built from seeds/; yields its base URL."""
    process = DashboardProcess(built_warehouse)
    yield process.url
    process.stop()


@pytest.fixture
def start_dashboard() -> Iterator:
    """start_dashboard(warehouse) -> URL, for dashboards on other warehouses."""
    started: list[DashboardProcess] = []

    def start(warehouse: Path) -> str:
        started.append(DashboardProcess(warehouse))
        return started[-1].url

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --------------------------------------------------------------------------------------
# a larger warehouse: 1,000 real news articles, enough to hit the dashboard's defaults

SHARED_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "news-ru"
NEWS_SAMPLE_SIZE = 1_000


def sample_news_articles(corpus: Path, n: int) -> list[str]:
    """n JSON lines taken in turn from each bulk file of the corpus (so that every outlet is
    in the sample), as they are: the texts stay outside the repository."""
    files = sorted(corpus.glob("*.jsonl.gz"))
    per_file = -(-n // len(files))  # ceiling
    lines: list[str] = []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines.extend(line for _, line in zip(range(per_file), handle, strict=False))
    return lines[:n]


@pytest.fixture(scope="session")
def news_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Path:
    """A warehouse built by `attache refresh` from 1,000 news-ru articles (once per session)."""
    if not SHARED_CORPUS.is_dir() or not any(SHARED_CORPUS.glob("*.jsonl.gz")):
        pytest.skip(f"no news-ru corpus at {SHARED_CORPUS} (../shared is absent)")
    from orchestration.cli import run_refresh

    root = tmp_path_factory.mktemp("news")
    source = root / "source"
    source.mkdir()
    lines = sample_news_articles(SHARED_CORPUS, NEWS_SAMPLE_SIZE)
    (source / "news-ru-sample.jsonl").write_text("".join(lines), encoding="utf-8")
    warehouse = root / "warehouse" / "news.duckdb"
    run_refresh(source, warehouse)
    return warehouse


@pytest.fixture(scope="module")
def news_dashboard(news_warehouse: Path) -> Iterator[str]:
    """The dashboard on the 1,000-article warehouse; yields its base URL."""
    process = DashboardProcess(news_warehouse)
    yield process.url
    process.stop()
