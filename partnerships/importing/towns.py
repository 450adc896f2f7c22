"""Read the two data sets that name towns by free text: the Wikipedia lists (A) and
the Czech partnerships (D). Each row is a pair of `Mention`s; which city a mention
is gets decided later (matching.py). Nothing here touches the database.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .places import CZECH_COUNTRIES, resolve_country_text, split_name
from .reading import (
    NAME_MAX_LENGTH,
    DataFileError,
    Rejections,
    _coordinate,
    clean_name,
    read_text,
)

# The Czech portal was scraped in 2013; twinning as a civic practice starts after
# 1918 (the oldest recorded links are of the 1920s). A year outside is no date.
FIRST_YEAR = 1900
LAST_YEAR = 2013


@dataclass(frozen=True)
class Mention:
    dataset: str
    line: int
    name: str  # the place's own name: "Stari Grad"
    qualifier: str  # "Sarajevo" of "Stari Grad (Sarajevo)"; "New South Wales"
    written: str  # the name as the file writes it
    country: str  # ISO code as stored here
    region: str  # from the country string: "England", "Ohio"
    latitude: Decimal | None
    longitude: Decimal | None
    ident: str = ""  # the data set's own id of the place (Czech: S-…, F-…)

    @property
    def coordinates(self) -> tuple | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class MentionPair:
    a: Mention
    b: Mention
    line: int
    year: int | None = None


def _mention(dataset, line, written, country_text, lat, lng, *, ident="", czech=False):
    """(Mention, problem)."""
    written = clean_name(written)
    if not written:
        return None, "has no place name"
    if len(written) > NAME_MAX_LENGTH:
        return None, f"place name longer than {NAME_MAX_LENGTH}"
    latitude, problem = _coordinate(lat, "latitude", 90)
    if problem:
        return None, problem
    longitude, problem = _coordinate(lng, "longitude", 180)
    if problem:
        return None, problem
    if czech:
        code, region = CZECH_COUNTRIES.get(country_text.strip(), ""), ""
    else:
        resolved = resolve_country_text(country_text, longitude=longitude)
        code, region = (resolved.code, resolved.region) if resolved else ("", "")
    if not code:
        return None, f"country {country_text!r} is not a country the import knows"
    split = split_name(written)
    return (
        Mention(
            dataset=dataset,
            line=line,
            name=split.name,
            qualifier=split.qualifier,
            written=written,
            country=code,
            region=region,
            latitude=latitude,
            longitude=longitude,
            ident=ident,
        ),
        "",
    )


def read_wikipedia(path: Path, *, dataset: str, rejections: Rejections) -> list[MentionPair]:
    """twin_cities.csv: city1,country1,lat1,lng1,city2,country2,lat2,lng2 (one row a pair)."""
    file = path.name
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = next(reader, None) or []
    expected = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
    if header != expected:
        raise DataFileError(f"{path} must start with the header {','.join(expected)}.")
    pairs = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        raw = ",".join(row)
        if len(row) != len(expected):
            rejections.add(file, line, f"has {len(row)} fields, expected {len(expected)}", raw)
            continue
        a, problem = _mention(dataset, line, row[0], row[1], row[2], row[3])
        if a is not None:
            b, problem = _mention(dataset, line, row[4], row[5], row[6], row[7])
        if problem:
            rejections.add(file, line, problem, raw)
            continue
        pairs.append(MentionPair(a, b, line))
    return pairs


def read_czech(path: Path, *, dataset: str, rejections: Rejections) -> list[MentionPair]:
    """vztahy.tsv: kod1 lat1 lon1 obec1 stat1 kod2 lat2 lon2 obec2 stat2 rok (tab-separated)."""
    file = path.name
    lines = read_text(path).splitlines()
    expected = "kod1 lat1 lon1 obec1 stat1 kod2 lat2 lon2 obec2 stat2 rok".split()
    if not lines or [c.strip() for c in lines[0].split("\t")] != expected:
        raise DataFileError(f"{path} must start with the header {' '.join(expected)} (tabs).")
    pairs = []
    for line, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if len(cells) != len(expected):
            rejections.add(file, line, f"has {len(cells)} fields, expected {len(expected)}", raw)
            continue
        kod1, lat1, lon1, obec1, stat1, kod2, lat2, lon2, obec2, stat2, rok = cells
        a, problem = _mention(dataset, line, obec1, stat1, lat1, lon1, ident=kod1, czech=True)
        if a is not None:
            b, problem = _mention(dataset, line, obec2, stat2, lat2, lon2, ident=kod2, czech=True)
        if problem:
            rejections.add(file, line, problem, raw)
            continue
        year = None
        rok = rok.strip()
        if rok and rok != "0":
            if rok.isdigit() and FIRST_YEAR <= int(rok) <= LAST_YEAR:
                year = int(rok)
            else:
                rejections.add(
                    file,
                    line,
                    f"year {rok!r} is not a year between {FIRST_YEAR} and {LAST_YEAR}: "
                    "the link is imported without a start",
                    raw,
                )
        pairs.append(MentionPair(a, b, line, year))
    return pairs
