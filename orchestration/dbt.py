"""The dbt project as Dagster assets: DbtProject, the translator, the `dbt build` asset.

The manifest (`dbt_project/target/manifest.json`) is prepared once and reused: `dbt parse`
runs only when the manifest is missing or older than a file of the project (or on every
load under `dagster dev`, the dagster-dbt development idiom). Importing this module does
no work.

A full build runs dbt in this process (dbtRunner) rather than as a `dbt` subprocess: the
subprocess would import dbt a second time and dagster-dbt would first run `dbt --version`
and load the project's macros for an adapter handle, several seconds of a refresh that
is otherwise short. Its result events go through dagster-dbt's own conversion, so the
Dagster events (materializations, asset checks) are those of `DbtCliResource.cli`, which
still runs a subset that the UI selects. When no raw table and no file of the dbt project
changed since the published marts were built, the build is skipped altogether; when only raw
tables changed, it builds what reads them (`--selector small_refresh`: `source:raw+`), not the
seeds and the models that read only seeds, which are as the same project built them, nor its
views (they read the new rows as they are; their tests run), nor the tests tagged
`full_build`, which repeat a test of the same selection (dbt_project/selectors.yml; a run
tagged `attache/dbt-tests=all`, such as the hourly schedule's, builds all of `source:raw+`).
"""


import datetime as dt
import fcntl
import logging
import os
import queue
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration import landing
from orchestration.dbt_digest import project_digest
from orchestration.dbt_digest import project_files as _project_files
from orchestration.progress import report
from orchestration.resources import WarehouseResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def dbt_executable() -> str:
    """The dbt beside this interpreter (the project's venv), else whatever `dbt` is on PATH:
    `.venv/bin/attache` runs without the venv being activated."""
    sibling = Path(sys.executable).with_name("dbt")
    if sibling.exists():
        return str(sibling)
    return shutil.which("dbt") or "dbt"


# dbt writes each build's artifacts here (inside the project's target/). One fixed folder,
# rather than dagster-dbt's default of a new folder per invocation, keeps target/ from
# growing by one folder per run; runs never overlap, the warehouse lock sees to that.
BUILD_TARGET_PATH = Path("target") / "build"


class AttacheDbtTranslator(DagsterDbtTranslator):
    """Maps dbt source `raw.<table>` to the asset key `["raw", "<table>"]` of the Python asset
    that lands it, so the lineage is one graph; models are grouped by their schema."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source" and dbt_resource_props["source_name"] == "raw":
            table = dbt_resource_props.get("identifier") or dbt_resource_props["name"]
            return dg.AssetKey(["raw", table])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        schema = (dbt_resource_props.get("config") or {}).get("schema")
        return schema or super().get_group_name(dbt_resource_props)


def make_dbt_project(project_dir: Path = DBT_PROJECT_DIR) -> DbtProject:
    return DbtProject(project_dir=project_dir, profiles_dir=project_dir)


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or older than any file of the project."""
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built_at = manifest.stat().st_mtime
    return any(path.stat().st_mtime > built_at for path in _project_files(project.project_dir))


def prepare_manifest(project: DbtProject) -> Path:
    """Make sure `project.manifest_path` is a current manifest; returns its path.

    Under `dagster dev` this is dagster-dbt's `prepare_if_dev()` (parse on every load);
    otherwise `dbt parse` runs only when the manifest is missing or stale, under a file lock
    so that two processes never write target/ at once.
    """
    if project.preparer.using_dagster_dev():
        project.prepare_if_dev()
    elif manifest_is_stale(project):
        target = project.project_dir / project.target_path
        target.mkdir(parents=True, exist_ok=True)
        with open(target / ".parse.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if manifest_is_stale(project):  # another process may have parsed meanwhile
                DbtCliResource(project_dir=project, dbt_executable=dbt_executable()).cli(
                    ["parse", "--quiet"], target_path=project.target_path
                ).wait()
    if not project.manifest_path.exists():
        raise FileNotFoundError(f"dbt parse produced no manifest at {project.manifest_path}")
    return project.manifest_path


def make_dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=dbt_executable())


class _SkippedBuildFilter(logging.Filter):
    """Drops Dagster's warning, one per blocking dbt test, that a step "emitted no result"
    for it: expected, and only noise, when the build is skipped because nothing changed or
    leaves out the seeds and the models of seeds alone."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Blocking asset check") and "emitted no result" in message)


_SKIPPED_BUILD_FILTER = _SkippedBuildFilter()
# Where Dagster's execution plan logs that warning.
_PLAN_LOGGER = "dagster._core.execution.plan.active"


# dbt events that carry one node's result (the ones dagster-dbt turns into Dagster events).
_RESULT_EVENTS = {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"}
_BUILT_RESOURCE_TYPES = {"model", "seed", "snapshot", "test"}
_PROGRESS_STEPS = 10  # progress lines per build, at most
_BUILD_THREADS = max(2, min(4, os.cpu_count() or 1))
_FINISHED = object()


class DbtBuildFailed(RuntimeError):
    """`dbt build` (run in this process) reported an error or a failing test."""


# What reads the raw tables, directly or not: all a build needs when only they changed.
DOWNSTREAM_OF_RAW = "source:raw+"
# The same without the tests tagged FULL_BUILD_TAG and without recreating the views (the same
# project made them; they read the new rows as they are, and their tests still run):
# dbt_project/selectors.yml. What a refresh builds when only raw tables changed, unless its
# run asks for every test (ALL_TESTS_TAG).
SMALL_REFRESH_SELECTOR = "small_refresh"
FULL_BUILD_TAG = "full_build"
# Run tag that makes such a refresh run the FULL_BUILD_TAG tests too (the hourly schedule,
# `attache refresh --all-tests`).
ALL_TESTS_TAG = "attache/dbt-tests"


def build_in_process(
    context: dg.AssetExecutionContext,
    project: DbtProject,
    target_path: Path,
    select: str | None = None,
    selector: str | None = None,
    record_passing_tests: bool = True,
) -> Iterator[Any]:
    """`dbt build` of the whole project (or of `select`, or of the named `selector`) with
    dbtRunner, in a worker thread; yields the Dagster events of each node as it finishes and
    reports progress. Raises DbtBuildFailed.

    With `record_passing_tests` False, a test that passes yields no Dagster event (its asset
    check keeps the result of the last build that recorded it) and the passes are counted in
    one log line; tests that fail or warn are recorded as always. Each recorded event costs
    Dagster two or three writes to its run history, most of a small refresh's dbt step."""
    from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    selected = _selected_nodes(manifest, select, selector)
    total = sum(
        1
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in _BUILT_RESOURCE_TYPES and unique_id in selected
    )
    target = project.project_dir / target_path
    events: queue.Queue = queue.Queue()
    errors: list[str] = []

    def on_event(message) -> None:  # called on dbt's threads: only queue or collect here
        if message.info.name in _RESULT_EVENTS:
            events.put(msg_to_dict(message))
        elif message.info.level == "error" and message.info.msg:
            errors.append(message.info.msg)

    outcome: dict[str, Any] = {}

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[on_event]).invoke(
                [
                    "build",
                    "--project-dir", str(project.project_dir),
                    "--profiles-dir", str(project.profiles_dir),
                    "--target-path", str(target),
                    "--log-path", str(target),
                    "--quiet",
                    "--no-send-anonymous-usage-stats",
                    # Nodes overlap their waits (commits, file writes): a third faster on
                    # two cores; the profile's single thread stays for everything else.
                    "--threads", str(_BUILD_THREADS),
                    *(["--select", select] if select else []),
                    *(["--selector", selector] if selector else []),
                ]
            )  # fmt: skip
        except BaseException as error:  # dbtRunner catches nearly everything; keep the rest
            outcome["error"] = error
        finally:
            events.put(_FINISHED)

    worker = threading.Thread(target=invoke, name="dbt-build", daemon=True)
    worker.start()
    done, passed_unrecorded, step = 0, 0, max(1, total // _PROGRESS_STEPS)
    try:
        while (raw := events.get()) is not _FINISHED:
            done += 1
            if record_passing_tests or not _is_passing_test(raw):
                event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
                yield from event.to_default_asset_events(
                    manifest=manifest,
                    dagster_dbt_translator=translator,
                    context=context,
                    target_path=target,
                    project=project,
                )
            else:
                passed_unrecorded += 1
            if done % step == 0 and done < total:
                report(context.log, f"dbt build: {done}/{total} models, seeds and tests")
    finally:
        worker.join()
        _close_dbt_database()
    if passed_unrecorded:
        report(context.log, f"dbt build: {passed_unrecorded} tests passed (not recorded one by one: a small refresh)")

    if "error" in outcome:
        raise DbtBuildFailed(f"dbt build failed: {outcome['error']}") from outcome["error"]
    result = outcome["result"]
    if not result.success:
        failed = [
            f"{node.node.unique_id}: {node.status} {node.message or ''}".strip()
            for node in getattr(result.result, "results", None) or []
            if str(node.status) in {"error", "fail", "runtime error"}
        ]
        details = failed or errors or ([str(result.exception)] if result.exception else [])
        raise DbtBuildFailed("dbt build failed:\n" + "\n".join(details or ["(no message)"]))


# Where dagster-dbt puts a model's `materialized` config on its asset spec.
_MATERIALIZATION_METADATA = "dagster-dbt/materialization_type"


def _is_passing_test(raw_event: Mapping[str, Any]) -> bool:
    """True for dbt's result event of a test that passed."""
    return raw_event["info"]["name"] == "LogTestResult" and raw_event["data"].get("status") == "pass"


def _selected_nodes(manifest: Mapping[str, Any], select: str | None, selector: str | None) -> set[str]:
    """unique_ids of the nodes a build of `select` or `selector` runs (for its progress lines)."""
    if selector == SMALL_REFRESH_SELECTOR:
        nodes = manifest["nodes"]
        return {
            uid
            for uid in _downstream_of_raw(manifest)
            if uid in nodes
            and FULL_BUILD_TAG not in (nodes[uid].get("tags") or [])
            and not (nodes[uid]["resource_type"] == "model" and nodes[uid]["config"].get("materialized") == "view")
        }
    if select == DOWNSTREAM_OF_RAW:
        return _downstream_of_raw(manifest)
    return set(manifest["nodes"])


def _downstream_of_raw(manifest: Mapping[str, Any]) -> set[str]:
    """unique_ids of the nodes that read a `raw` source, directly or not (tests included)."""
    children = manifest["child_map"]
    frontier = [uid for uid, node in manifest["sources"].items() if node["source_name"] == "raw"]
    seen: set[str] = set()
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return seen


def downstream_of_raw_keys(assets: dg.AssetsDefinition) -> list[dg.AssetKey]:
    """The keys of `assets` that depend, directly or not, on an asset of the `raw` group."""
    upstream = {spec.key: {dep.asset_key for dep in spec.deps} for spec in assets.specs}
    found: set[dg.AssetKey] = set()
    changed = True
    while changed:
        changed = False
        for key, deps in upstream.items():
            if key not in found and any(dep.path[0] == "raw" or dep in found for dep in deps):
                found.add(key)
                changed = True
    return sorted(found)


def publish_waits_for(assets: dg.AssetsDefinition) -> list[dg.AssetKey]:
    """What the publish step depends on: every raw table the dbt project reads, and every
    table (not view) of `assets` that reads them. Every build with new raw rows materializes
    all of these (a small refresh does not recreate the views), and Dagster skips a step when
    an asset it depends on yielded nothing."""
    views = {spec.key for spec in assets.specs if spec.metadata.get(_MATERIALIZATION_METADATA) == "view"}
    raw = {dep.asset_key for spec in assets.specs for dep in spec.deps if dep.asset_key.path[0] == "raw"}
    return sorted(raw | (set(downstream_of_raw_keys(assets)) - views))


def _close_dbt_database() -> None:
    """Close the DuckDB database dbt-duckdb opened in this process.

    dbt-duckdb keeps its connection (to the working copy) open after the invocation. Left
    open, it would hold the published file's inode after the rename, and DuckDB's instance
    cache would hand that stale database to the next run's connections to the working-copy
    path. dbt-duckdb has no public call that closes it, hence the class attribute."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    """One multi-asset over every model and seed of the project; its tests are asset checks."""

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        name="dbt_build",
        dagster_dbt_translator=AttacheDbtTranslator(
            # Source tests stay observations: as checks on the raw assets they would
            # split `dbt build` into a run before extraction and one after.
            settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
        ),
    )
    def dbt_build(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        """`dbt build` (seeds, models and their tests) against the run's working copy; skipped
        when neither the raw tables nor the dbt project changed since the marts were built."""
        if context.is_subset:
            # A selection from the UI: dagster-dbt's CLI invocation turns it into dbt's
            # --select; the marts as a whole are not known to be current afterwards.
            report(context.log, "dbt build: the selected models and tests on the working copy")
            with warehouse.dbt_environment():
                yield from dbt.cli(["build"], context=context, target_path=BUILD_TARGET_PATH).stream()
            return

        digest = project_digest(project.project_dir)
        with warehouse.connect() as con:
            current = landing.marts_are_current(con, digest)
            same_project = landing.marts_built_by(con, digest)
        if current or same_project:
            # checks of nodes left unbuilt have no new result: expected, not worth a warning
            logging.getLogger(_PLAN_LOGGER).addFilter(_SKIPPED_BUILD_FILTER)  # idempotent
        if current:
            warehouse.nothing_to_publish()
            report(
                context.log,
                "dbt build: skipped, no raw table and no file of the dbt project changed since "
                "the published marts were built",
            )
            return

        all_tests = context.run.tags.get(ALL_TESTS_TAG) == "all"
        if same_project and not all_tests:
            report(
                context.log,
                f"dbt build: the models and tests that read the raw tables (selector {SMALL_REFRESH_SELECTOR}), "
                "on the working copy",
            )
            selection = {"selector": SMALL_REFRESH_SELECTOR, "record_passing_tests": False}
        elif same_project:
            report(context.log, "dbt build: the models and every test that read the raw tables, on the working copy")
            selection = {"select": DOWNSTREAM_OF_RAW}
        else:
            report(context.log, "dbt build: seeds, models and tests on the working copy")
            selection = {}
        with warehouse.dbt_environment():
            yield from build_in_process(context, project, BUILD_TARGET_PATH, **selection)
        with warehouse.connect() as con:
            landing.record_marts_built(con, digest, dt.datetime.now(dt.UTC).replace(tzinfo=None))
        report(context.log, "dbt build: every model and test passed")

    return dbt_build
