"""The data behind the Leaflet maps, in a compact shape that json_script embeds in the page.

The page carries every coordinate it draws, so markers and lines appear even when
the tile server cannot be reached; only the background tiles come from outside.

Shape (read by static/js/map.js):
    {"cities": [[lat, lng, name, slug], ...],   # one marker each
     "links":  [[i, j], ...],                   # a line between cities[i] and cities[j]
     "focus":  i or null,                       # the city the page is about, drawn larger
     "total_cities": n,                         # how many markers
     "source": url or absent}                   # where to fetch cities and links instead
Slugs, not URLs: the page gives one URL pattern, which saves a reverse() per marker.

The home map shows every linked city of the world (about 18,700, 31,200 links): the
page carries only `source`, the URL of world_map_json (public/map_views.py), whose
name holds the data version, so the browser and the server cache it until the
data changes. The script clusters the markers and draws a city's lines only while
it is pointed at or selected.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from cities.models import City
from cities.names import choose_name, display_name
from common.data_version import data_version
from partnerships.models import Partnership
from partnerships.selectors import link_count

# How long a built world map is kept at most (the data version drops it sooner).
WORLD_MAP_CACHE_SECONDS = 600
# Coordinates of the world map to 0.001 degree (about 100 m): enough for a marker,
# and a fifth of the bytes of a float's full repr.
WORLD_MAP_DIGITS = 3


@dataclass
class MapData:
    cities: list[list] = field(default_factory=list)
    links: list[list[int]] = field(default_factory=list)
    focus: int | None = None
    total_cities: int = 0
    source: str = ""
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    def add_city(self, pk: int, latitude, longitude, name: str, slug: str) -> int | None:
        """Index of the city's marker; None (and no marker) when its coordinates are unknown."""
        if pk in self._index:
            return self._index[pk]
        if latitude is None or longitude is None:
            return None
        self._index[pk] = len(self.cities)
        self.cities.append([float(latitude), float(longitude), name, slug])
        return self._index[pk]

    def add_link(self, pk_a: int, pk_b: int) -> None:
        i, j = self._index.get(pk_a), self._index.get(pk_b)
        if i is not None and j is not None:
            self.links.append([i, j])

    def as_json(self) -> dict:
        data = {
            "cities": self.cities,
            "links": self.links,
            "focus": self.focus,
            "total_cities": max(self.total_cities, len(self.cities)),
        }
        if self.source:
            data["source"] = self.source
        return data

    def __bool__(self) -> bool:
        return bool(self.cities) or bool(self.source)


def add_city_object(data: MapData, city: City) -> int | None:
    return data.add_city(city.pk, city.latitude, city.longitude, display_name(city), city.slug)


def map_of_city(city: City, partners: Iterable[dict]) -> MapData:
    """The city, each partner, and a line from the city to each partner.

    `partners` are the city page's rows (selectors.PartnerRow): they carry each
    partner's coordinates, so the map costs no query of its own.
    """
    data = MapData()
    data.focus = add_city_object(data, city)
    for row in partners:
        data.add_city(
            row["partner_pk"], row["latitude"], row["longitude"], row["name"], row["slug"]
        )
        data.add_link(city.pk, row["partner_pk"])
    data.total_cities = len(data.cities)
    return data


def map_of_pair(city_a: City, city_b: City) -> MapData:
    data = MapData()
    add_city_object(data, city_a)
    add_city_object(data, city_b)
    data.add_link(city_a.pk, city_b.pk)
    data.total_cities = len(data.cities)
    return data


def world_map() -> MapData:
    """Every linked city with coordinates, most connected first, and every link
    between two of them.

    Two queries returning plain tuples: model instances for 18,700 markers would
    cost more than the rest of the home page together.
    """
    linked = City.objects.annotate(links=link_count()).filter(
        links__gt=0, latitude__isnull=False, longitude__isnull=False
    )
    rows = linked.order_by("-links", "name", "pk").values_list(
        "pk", "latitude", "longitude", "name", "slug", "native_name", "native_name_language"
    )
    data = MapData()
    language = get_language()
    for pk, latitude, longitude, name, slug, native, native_language in rows:
        shown, _tag = choose_name(
            name=name, native_name=native, native_name_language=native_language, language=language
        )
        data.add_city(
            pk,
            round(float(latitude), WORLD_MAP_DIGITS),
            round(float(longitude), WORLD_MAP_DIGITS),
            shown,
            slug,
        )
    data.total_cities = len(data.cities)
    pairs = Partnership.objects.order_by("pk").values_list("city_a_id", "city_b_id")
    for pk_a, pk_b in pairs.iterator(chunk_size=5000):
        data.add_link(pk_a, pk_b)
    return data


def world_map_version(fingerprint: str) -> str:
    """A short token that changes with the data version, the cities and links
    (fingerprint: counts and latest change, free with the headline figures) and the
    language: the world map's URL and cache key.

    The data version (common.data_version) changes with any edit from any process;
    the fingerprint also catches another process's edit under the per-process memory
    cache, and bulk writes that did not bump the version.
    """
    parts = f"{data_version()}:{fingerprint}:{get_language()}"
    return hashlib.sha256(parts.encode()).hexdigest()[:16]


def cached_world_map_json(version: str) -> tuple[bytes, bytes]:
    """world_map() in the active language as compact JSON, plain and gzipped, kept
    under `version` (at most WORLD_MAP_CACHE_SECONDS): building it is a second or two
    on the world, compressing it a tenth of one, so neither is done per request."""
    key = f"public:world-map-json:{version}"
    bodies = cache.get(key)
    if bodies is None:
        body = json.dumps(world_map().as_json(), ensure_ascii=False, separators=(",", ":"))
        bodies = (body.encode(), gzip.compress(body.encode(), compresslevel=6))
        cache.set(key, bodies, WORLD_MAP_CACHE_SECONDS)
    return bodies


def home_map(fingerprint: str, has_links: bool) -> MapData:
    """The home page's map: no coordinates in the page, only where to fetch them."""
    if not has_links:
        return MapData()
    version = world_map_version(fingerprint)
    return MapData(source=reverse("public:world-map-data", kwargs={"version": version}))
