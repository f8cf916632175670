"""Automation: the refresh job, an hourly schedule, and a sensor on the source folder.

They run under `attache ui` (dagster dev runs the daemon). Runs queue one at a time
(`.dagster_home/dagster.yaml`), and the warehouse lock keeps them apart from
`attache refresh` runs started on the command line.
"""


import hashlib
import os
from pathlib import Path

import dagster as dg

from orchestration.assets import WEB_PAGES
from orchestration.resources import SourceFolder
from orchestration.web_assets import FeedsFile

REFRESH_JOB_NAME = "refresh_all"
FETCH_JOB_NAME = "fetch_feeds"

refresh_job = dg.define_asset_job(
    REFRESH_JOB_NAME,
    # fetching runs on its own schedule: a refresh reads what is in the folder, offline
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(WEB_PAGES),
    description="Ingest the source folder, extract, dbt build, publish: what `attache refresh` runs.",
)

hourly_refresh = dg.ScheduleDefinition(
    name="hourly_refresh",
    job=refresh_job,
    cron_schedule="0 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh every hour: picks up anything the sensor did not (e.g. a new extractor "
    "version or changed dbt models).",
)


def source_listing_digest(source_dir: Path) -> str:
    """sha256 of the sorted (relative name, size, mtime) listing of every file in the folder.

    Cheap (stat only, no reads): any added, removed, resized or touched file changes it.
    """
    entries: list[str] = []
    for root, dirs, files in os.walk(source_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root, name)
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed while we listed
                continue
            entries.append(f"{path.relative_to(source_dir).as_posix()}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a refresh when files in the source folder are added, removed or changed.",
)
def source_folder_sensor(context: dg.SensorEvaluationContext, source: SourceFolder):
    source_dir = source.resolve()
    if not source_dir.is_dir():
        return dg.SkipReason(f"source folder {source_dir} does not exist")
    digest = source_listing_digest(source_dir)
    if digest == context.cursor:
        return dg.SkipReason(f"no change in {source_dir}")
    context.update_cursor(digest)
    return dg.RunRequest(run_key=digest, tags={"attache/trigger": "source_folder_sensor"})


fetch_job = dg.define_asset_job(
    FETCH_JOB_NAME,
    selection=dg.AssetSelection.assets(WEB_PAGES),
    description="Fetch the feeds of the feeds file and save new pages in the source folder: "
    "what `attache fetch` runs. The sensor and the hourly refresh pick the pages up.",
)


@dg.schedule(
    job=fetch_job,
    cron_schedule="*/15 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Fetch the feeds every 15 minutes (skipped while there is no feeds file).",
)
def fetch_every_15_minutes(context: dg.ScheduleEvaluationContext, feeds: FeedsFile):
    feeds_file = feeds.resolve()
    if not feeds_file.is_file():
        return dg.SkipReason(f"no feeds file at {feeds_file}")
    return dg.RunRequest(tags={"attache/trigger": "fetch_schedule"})
