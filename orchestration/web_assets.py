"""Dagster side of the web sources: fetch the feeds (`web_pages`), land the fetch state.

`web_pages` runs on its own 15-minute schedule (orchestration/schedules.py) and writes only
files in the source folder; the refresh job does not include it, so a refresh never waits
on the network. `fetch_state` runs in every refresh and mirrors the state file into
`raw.fetch_errors` and `raw.feed_cursors`.
"""


from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import Field

from orchestration.assets import RAW_GROUP, WEB_PAGES, markdown_preview
from orchestration.fetch import fetch_feeds, read_feed_list
from orchestration.fetch.feeds import default_feeds_file
from orchestration.fetch.state import FetchBusy, FetchStateError, load_state
from orchestration.fetch.warehouse import land_fetch_state
from orchestration.landing import count_rows
from orchestration.progress import report
from orchestration.resources import SourceFolder, WarehouseResource

RAW_FETCH_ERRORS = dg.AssetKey(["raw", "fetch_errors"])
RAW_FEED_CURSORS = dg.AssetKey(["raw", "feed_cursors"])


class FeedsFile(dg.ConfigurableResource):
    """The list of feed URLs to follow, one per line."""

    path: str = Field(default="", description="Feeds file; empty: $ATTACHE_FEEDS or feeds.txt.")

    def resolve(self) -> Path:
        return Path(self.path).expanduser().resolve() if self.path else default_feeds_file()


@dg.asset(key=WEB_PAGES, group_name="sources", kinds={"python"})
def web_pages(context: dg.AssetExecutionContext, source: SourceFolder, feeds: FeedsFile) -> dg.MaterializeResult:
    """Pages of new feed entries, saved in the source folder as DIR/web/<host>/<date>-<slug>.html
    (the feeds listed in the feeds file; unchanged feeds cost one conditional GET)."""
    feeds_file = feeds.resolve()
    try:
        feed_list = read_feed_list(feeds_file)
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or err
        raise dg.Failure(f"cannot read the feeds file {feeds_file}: {reason}") from err
    for line, text, reason in feed_list.problems:
        context.log.warning(f"{feeds_file}:{line}: {reason}: {text!r} (skipped)")
    try:
        fetched = fetch_feeds(feed_list.urls, source.resolve())
    except (FetchBusy, FetchStateError) as err:
        raise dg.Failure(str(err)) from err
    report(context.log, f"fetch: {fetched.line()}")
    errors = pl.DataFrame(fetched.errors, schema={"url": pl.String, "reason": pl.String}, orient="row")
    return dg.MaterializeResult(
        metadata={
            "feeds": fetched.feeds,
            "feeds_unchanged": fetched.not_modified,
            "pages_saved": len(fetched.saved),
            "entries_already_fetched": fetched.entries_seen_before,
            "errors_this_run": len(fetched.errors),
            "errors": markdown_preview(errors),
            "feeds_file": dg.MetadataValue.path(str(feeds_file)),
        }
    )


@dg.multi_asset(
    name="fetch_state",
    group_name=RAW_GROUP,
    specs=[
        dg.AssetSpec(
            RAW_FETCH_ERRORS,
            deps=[WEB_PAGES],
            description="Feeds and pages `attache fetch` could not fetch, with the reason.",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            RAW_FEED_CURSORS,
            deps=[WEB_PAGES],
            description="One row per feed: its validators (ETag, Last-Modified) and how many "
            "entries were fetched already.",
            kinds={"python", "duckdb"},
        ),
    ],
)
def fetch_state(context: dg.AssetExecutionContext, source: SourceFolder, warehouse: WarehouseResource):
    """Mirror DIR/web/.fetch-state.json into raw.fetch_errors and raw.feed_cursors (replaced
    only when the file says something new; an unreadable file is a warning, the tables are
    then left as they were)."""
    source_dir = source.resolve()
    problem = ""
    try:
        state = load_state(source_dir)
    except FetchStateError as err:
        # the articles need not wait for it: the tables keep what they had, `attache fetch` says why
        problem = f"fetch state not landed: {err}"
        context.log.warning(problem)
        state = None
    with warehouse.connect() as con:
        replaced = land_fetch_state(con, state) if state else {"fetch_errors": False, "feed_cursors": False}
        totals = {table: count_rows(con, table) for table in replaced}
    if any(replaced.values()):
        report(context.log, f"fetch state: {totals['feed_cursors']} feeds, {totals['fetch_errors']} fetch errors")
    for key, table in ((RAW_FETCH_ERRORS, "fetch_errors"), (RAW_FEED_CURSORS, "feed_cursors")):
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={"dagster/row_count": totals[table], "replaced": replaced[table], "problem": problem},
        )
