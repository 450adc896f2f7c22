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
WIKIPEDIA_LISTS = Dataset(
    key="hekman-wikipedia",
    publisher="Wikipedia contributors (CC BY-SA 4.0), geocoded with OpenStreetMap (ODbL), "
    "compiled by E. Hekman",
    title="Lists of twin towns and sister cities (twin_cities.csv)",
    url="https://github.com/Hekman/twincities",
    published_on=dt.date(2026, 2, 8),
    note=(
        "25,917 pairs scraped from English Wikipedia's 'List of twin towns and sister cities "
        "in ...' pages, with coordinates from the Wikipedia API and Nominatim. Repo commit "
        "84ebdec2. Wikipedia text is CC BY-SA 4.0: credit Wikipedia contributors, "
        "OpenStreetMap and E. Hekman when redistributing. Imported by "
        "`manage.py import_twin_cities`."
    ),
)
CZECH_PARTNERSHIPS = Dataset(
    key="czech-partnerska-mesta",
    publisher="partnerskamesta.cz, via Economia (economia/partnerska-mesta)",
    title="Partnerships of Czech municipalities with the year each began (vztahy.tsv)",
    url="https://github.com/economia/partnerska-mesta",
    published_on=dt.date(2013, 1, 1),
    note=(
        "966 rows scraped in 2013 from the portal partnerskamesta.cz by the data team of "
        "Economia; repo commit fe02fa3e. The year is when the partnership began. Imported "
        "by `manage.py import_twin_cities`."
    ),
)
NATURAL_EARTH = Dataset(
    key="naturalearth",
    publisher="Natural Earth (public domain); names from Wikidata (CC0)",
    title="Populated places, names in 21+ languages (v5.1.2)",
    url="https://www.naturalearthdata.com/",
    published_on=None,
    note="ne_10m_populated_places.new_names.csv and ne_110m_populated_places.dbf.",
)
# The data sets a link can cite, in the order their Source rows are created.
DATASETS = (WIKIDATA_CITIES, L3VIATHAN_WIKIDATA, WIKIPEDIA_LISTS, CZECH_PARTNERSHIPS)


@dataclass(frozen=True)
class DataFiles:
    cities: Path
    links: Path
    names: Path
    relations: Path
    # Optional: a folder without them imports the Wikidata sets alone.
    wikipedia: Path | None = None
    czech: Path | None = None
    labels: Path | None = None
    labels_large: Path | None = None

    @classmethod
    def under(cls, directory: Path, names_directory: Path | None = None) -> "DataFiles":
        """The files of a data folder laid out as data/twin-cities/ is.

        City names are read from names_directory (default: the city-names/naturalearth
        folder beside the twin-cities folder), when it exists.
        """
        directory = Path(directory)
        if names_directory is None:
            names_directory = directory.parent / "city-names" / "naturalearth"
        names_directory = Path(names_directory)

        def optional(path: Path) -> Path | None:
            return path if path.exists() else None

        return cls(
            cities=directory / "wikidata-cities" / "cities.csv",
            links=directory / "wikidata-cities" / "links.tsv",
            names=directory / "l3viathan-wikidata" / "names.tsv",
            relations=directory / "l3viathan-wikidata" / "relations.tsv",
            wikipedia=optional(directory / "hekman-wikipedia" / "twin_cities.csv"),
            czech=optional(directory / "czech-partnerska-mesta" / "vztahy.tsv"),
            labels=optional(names_directory / "ne_10m_populated_places.new_names.csv"),
            labels_large=optional(names_directory / "ne_110m_populated_places.dbf"),
        )

    @property
    def all(self) -> list[Path]:
        return [
            p
            for p in (
                self.cities,
                self.links,
                self.names,
                self.relations,
                self.wikipedia,
                self.czech,
                self.labels,
                self.labels_large,
            )
            if p is not None
        ]


def default_data_dir() -> Path:
    """The project's own copy of the data: data/twin-cities (see data/README.md)."""
    return Path(settings.BASE_DIR) / "data" / "twin-cities"
