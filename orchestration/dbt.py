"""The dbt project as Dagster assets: DbtProject, the translator, the `dbt build` asset.

The manifest (`dbt_project/target/manifest.json`) is prepared once and reused: `dbt parse`
runs only when the manifest is missing or older than a file of the project (or on every
load under `dagster dev`, the dagster-dbt development idiom). Importing this module does
no work.
"""


import fcntl
import shutil
import sys
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

# Folders of the project that dbt writes to, not sources of the manifest.
_GENERATED_DIRS = {"target", "logs", "dbt_packages"}


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


def _project_files(project_dir: Path) -> Iterator[Path]:
    for path in project_dir.iterdir():
        if path.name in _GENERATED_DIRS or path.name.startswith("."):
            continue
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


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
        """`dbt build` (seeds, models and their tests) against the run's working copy."""
        report(context.log, "dbt build: seeds, models and tests on the working copy")
        with warehouse.dbt_environment():
            yield from dbt.cli(["build"], context=context, target_path=BUILD_TARGET_PATH).stream()
        report(context.log, "dbt build: every model and test passed")

    return dbt_build
