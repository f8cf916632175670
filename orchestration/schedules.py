"""Automation: the refresh job, an hourly schedule, and a sensor on the source folder.

They run under `attache ui` (dagster dev runs the daemon). Runs queue one at a time
(`.dagster_home/dagster.yaml`), and the warehouse lock keeps them apart from
`attache refresh` runs started on the command line.
"""


import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.assets import WEB_PAGES
from orchestration.dbt import ALL_TESTS_TAG
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
    "version or changed dbt models), and runs every dbt test of what it builds (the sensor's "
    "small refreshes leave out the tests tagged full_build).",
    tags={ALL_TESTS_TAG: "all"},
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


@dataclass(frozen=True)
class SensorCursor:
    """The folder digest last seen and how many changes the sensor has seen.

    The run key is the change number with the digest: Dagster starts a run only for a run
    key it has not seen, so a folder that returns to an earlier state (a file removed and
    put back) must not reuse the key of the earlier run.
    """

    digest: str | None = None
    change: int = 0

    @classmethod
    def parse(cls, cursor: str | None) -> "SensorCursor":
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            return cls(digest=str(data["digest"]), change=int(data["change"]))
        except (ValueError, KeyError, TypeError):  # a cursor from before: the bare digest
            return cls(digest=cursor, change=0)

    def dump(self) -> str:
        return json.dumps({"digest": self.digest, "change": self.change})

    @property
    def run_key(self) -> str:
        return f"{self.change}:{self.digest}"


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
    previous = SensorCursor.parse(context.cursor)
    if digest == previous.digest:
        return dg.SkipReason(f"no change in {source_dir}")
    cursor = SensorCursor(digest=digest, change=previous.change + 1)
    context.update_cursor(cursor.dump())
    return dg.RunRequest(run_key=cursor.run_key, tags={"attache/trigger": "source_folder_sensor"})


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
