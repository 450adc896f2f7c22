"""A real sample of the world's twin towns for the browser tests' maps and screenshots.

data/twin-cities/wikidata-cities (in the repo, see data/README.md): 5,470 cities with
coordinates and the 10,596 links Wikidata records between them, loaded with two
bulk inserts, so that the maps are tried on the shape of the real network (a hub
with partners on every continent, small towns with one or two partners, links
across the antimeridian) rather than on a handful of made-up points. The seed's
cities (Beijing, Tel Aviv) are matched by Wikidata id, not duplicated.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from cities.models import City
from common.data_version import bump_data_version
from partnerships.models import Partnership

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "twin-cities" / "wikidata-cities"


def _country(code: str) -> str:
    # The set writes Taiwan as "CN-TW": the ISO code is the part after the dash.
    code = code.rsplit("-", 1)[-1].upper()
    return code if len(code) == 2 and code.isalpha() else ""


def load_world_sample(one_sided: tuple[str, str] | None = None) -> dict[str, City]:
    """Load the sample; returns its cities by Wikidata id. `one_sided`: a pair of
    Wikidata ids whose link is recorded as stated by one side only."""
    existing = {city.wikidata_id: city for city in City.objects.exclude(wikidata_id="")}
    slugs = set(City.objects.values_list("slug", flat=True))
    new = []
    with (SAMPLE / "cities.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            country = _country(row["countrycd"])
            if row["id"] in existing or not country or not row["lat"] or not row["lng"]:
                continue
            base = slugify(row["name"]) or row["id"].lower()
            slug, number = base, 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            new.append(
                City(
                    name=row["name"],
                    slug=slug,
                    country=country,
                    latitude=Decimal(row["lat"]).quantize(Decimal("0.000001")),
                    longitude=Decimal(row["lng"]).quantize(Decimal("0.000001")),
                    wikidata_id=row["id"],
                )
            )
    City.objects.bulk_create(new, batch_size=500)
    cities = {city.wikidata_id: city for city in City.objects.exclude(wikidata_id="")}
    pairs = set(Partnership.objects.values_list("city_a_id", "city_b_id"))
    links = []
    with (SAMPLE / "links.tsv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file, delimiter="\t"):
            a, b = cities.get(row["source"]), cities.get(row["target"])
            if a is None or b is None or a.pk == b.pk:
                continue
            pair = (min(a.pk, b.pk), max(a.pk, b.pk))
            if pair in pairs:
                continue
            pairs.add(pair)
            sided = one_sided is not None and {row["source"], row["target"]} == set(one_sided)
            links.append(
                Partnership(city_a_id=pair[0], city_b_id=pair[1], one_sided=sided, kind="twin")
            )
    Partnership.objects.bulk_create(links, batch_size=1000)
    bump_data_version()
    return cities
