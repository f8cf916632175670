"""The gazetteer: countries, actors, organisations and their aliases.

One home for reference data: the dbt seeds in `dbt_project/seeds/`. dbt loads them as tables
(`reference.*`, `marts.dim_countries`, ...) and the extractor reads the same CSV files here.
`load_reference()` expands every Russian alias into its case forms once (see `inflect.py`)
and caches the result, so that matching at run time is a bulk literal search.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.reference.inflect import english_forms, russian_forms

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SEED_FILES = (
    "countries.csv", "actors.csv", "organisations.csv", "organisation_membership_changes.csv", "aliases.csv", "fx_rates.csv"
)


@dataclass(frozen=True)
class Reference:
    countries: pl.DataFrame  # country_code, name_en, name_ru, region, is_focus, capital_en, capital_ru
    actors: pl.DataFrame  # actor_id, name_en, name_ru, country_code, role, term_start, term_end, ...
    organisations: pl.DataFrame  # organisation_id, name_en, name_ru, kind, member_countries (list)
    # One row per (organisation, member, ever): organisation_id, country, joined_year, left_year
    # (NULL: a founder / still a member), for a summit's members in its own year.
    memberships: pl.DataFrame
    # One row per surface form: form, entity_type, entity_id, country, kind, language.
    # `country` is what the mention stands for (a country, an actor's country; NULL for
    # organisations); kind 'place' marks cities and regions, which locate but do not participate.
    alias_forms: pl.DataFrame
    fingerprint: str  # hash of the seed files: part of the extractor's identity

    @property
    def forms(self) -> list[str]:
        """Surface forms, longest first (Aho-Corasick leftmost-first then finds the longest)."""
        return self.alias_forms.get_column("form").to_list()


def _read(seeds_dir: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(seeds_dir / name, infer_schema_length=0)


def seed_fingerprint(seeds_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in SEED_FILES:
        path = seeds_dir / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _expand_aliases(aliases: pl.DataFrame) -> pl.DataFrame:
    """One row per (form, alias row): inflected Russian forms, English forms with possessives."""
    expanded = aliases.with_columns(
        pl.struct("alias", "entity_type", "kind", "language")
        .map_elements(  # runs once per alias at load time, not per document
            lambda row: sorted(
                (russian_forms if row["language"] == "ru" else english_forms)(
                    row["alias"], row["entity_type"], row["kind"]
                )
            ),
            return_dtype=pl.List(pl.String),
        )
        .alias("form")
    )
    return expanded.explode("form").filter(pl.col("form").str.len_chars() >= 2)


def _memberships(organisations: pl.DataFrame, seeds_dir: Path) -> pl.DataFrame:
    """Today's members (with the year they joined, where it is recorded) and former members."""
    path = seeds_dir / "organisation_membership_changes.csv"
    schema = {"organisation_id": pl.String, "country": pl.String, "joined_year": pl.Int32, "left_year": pl.Int32}
    changes = (
        pl.read_csv(path, schema_overrides={"joined_year": pl.Int32, "left_year": pl.Int32}).rename({"country_code": "country"})
        if path.exists()
        else pl.DataFrame(schema=schema)
    )
    current = organisations.select("organisation_id", pl.col("member_countries").alias("country")).explode("country").drop_nulls()
    return (
        current.join(changes, on=["organisation_id", "country"], how="full", coalesce=True)
        .select(*schema)
        .cast(schema)
        .sort("organisation_id", "country")
    )


@functools.cache
def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    seeds_dir = Path(seeds_dir)
    countries = _read(seeds_dir, "countries.csv")
    actors = _read(seeds_dir, "actors.csv").with_columns(
        pl.col("term_start").str.to_date(strict=False), pl.col("term_end").str.to_date(strict=False)
    )
    organisations = _read(seeds_dir, "organisations.csv").with_columns(
        pl.col("member_countries").fill_null("").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    )
    memberships = _memberships(organisations, seeds_dir)
    aliases = _read(seeds_dir, "aliases.csv").filter(pl.col("alias").is_not_null())
    actor_country = actors.select(pl.col("actor_id").alias("entity_id"), pl.col("country_code").alias("actor_country"))
    forms = (
        _expand_aliases(aliases)
        .join(actor_country, on="entity_id", how="left")
        .with_columns(
            pl.when(pl.col("entity_type") == "country")
            .then(pl.col("entity_id"))
            .when(pl.col("entity_type") == "actor")
            .then(pl.col("actor_country"))
            .alias("country")
        )
        .select("form", "entity_type", "entity_id", "country", "kind", "language")
        # A form shared by two entities is ambiguous: prefer countries, then organisations,
        # then actors, deterministically.
        .with_columns(
            pl.col("entity_type").replace_strict({"country": 0, "organisation": 1, "actor": 2}, default=3).alias("_rank")
        )
        .sort("_rank", "entity_id", "kind")
        .unique("form", keep="first", maintain_order=True)
        .drop("_rank")
        .with_columns(pl.col("form").str.len_chars().alias("_len"))
        .sort(["_len", "form"], descending=[True, False])
        .drop("_len")
    )
    return Reference(
        countries=countries,
        actors=actors,
        organisations=organisations,
        memberships=memberships,
        alias_forms=forms,
        fingerprint=seed_fingerprint(seeds_dir),
    )
