"""The two data sets the import reads, and the Source row each imported link cites."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Dataset:
    key: str
    publisher: str
    title: str
    url: str
    published_on: dt.date | None
    note: str


WIKIDATA_CITIES = Dataset(
    key="wikidata-cities",
    publisher="Wikidata (CC0), via bothness/twin-cities and TidyTuesday",
    title="Twinned cities: cities.csv and links.tsv (TidyTuesday 2026-05-12)",
    url="https://github.com/rfordatascience/tidytuesday/tree/main/data/2026/2026-05-12",
    published_on=dt.date(2026, 5, 12),
    note=(
        "Cities with Wikidata IDs, coordinates and ISO country codes, and their twinning "
        "links (Wikidata P190, cities only). cities.csv from tidytuesday commit 64d8b3e4; "
        "links.tsv from bothness/twin-cities commit 031f0500. Imported by "
        "`manage.py import_twin_cities`."
    ),
)
L3VIATHAN_WIKIDATA = Dataset(
    key="l3viathan-wikidata",
    publisher="Wikidata (CC0), extracted by L3viathan",
    title="Wikidata P190 twinning statements, 2016 snapshot (relations.tsv, names.tsv)",
    url="https://github.com/L3viathan/sister-cities",
    published_on=dt.date(2016, 9, 10),
    note=(
        "One row per directed P190 (twinned administrative body) statement, crawled "
        "2016-09-10, repo commit d3028c22. Used to tell links stated by both cities from "
        "links stated by one. Imported by `manage.py import_twin_cities`."
    ),
)
DATASETS = (WIKIDATA_CITIES, L3VIATHAN_WIKIDATA)


@dataclass(frozen=True)
class DataFiles:
    cities: Path
    links: Path
    names: Path
    relations: Path

    @classmethod
    def under(cls, directory: Path) -> "DataFiles":
        directory = Path(directory)
        return cls(
            cities=directory / "wikidata-cities" / "cities.csv",
            links=directory / "wikidata-cities" / "links.tsv",
            names=directory / "l3viathan-wikidata" / "names.tsv",
            relations=directory / "l3viathan-wikidata" / "relations.tsv",
        )


def default_data_dir() -> Path:
    """The shared data folder next to the checkout (../shared/data/twin-cities)."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "twin-cities"
