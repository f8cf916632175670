"""The analyst's ways into the published warehouse, none of which can write it.

    warehouse.py   a read-only view of one published build (or snapshot), and its build facts
    snapshots.py   `attache snapshots`, `attache sql --snapshot TS`: the builds kept before
    export.py      `attache export`: every mart as Parquet or CSV, with a manifest.json
    shell.py       `attache shell`: the DuckDB CLI, read-only on the published file
    docs.py        `attache docs`: dbt docs (the data dictionary) served on 127.0.0.1 or written
"""
