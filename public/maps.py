"""The data behind the Leaflet maps, in a compact shape that json_script embeds in the page.

The page carries every coordinate it draws, so markers and lines appear even when
the tile server cannot be reached; only the background tiles come from outside.

Shape (read by static/js/map.js):
    {"cities": [[lat, lng, name, slug], ...],   # one marker each
     "links":  [[i, j], ...],                   # a line between cities[i] and cities[j]
     "focus":  i or null,                       # the city the page is about, drawn larger
     "total_cities": n}                         # how many there were before any cap
Slugs, not URLs: the page gives one URL pattern, which saves a reverse() per marker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language

from cities.models import City
from cities.names import choose_name, display_name
from common.data_version import data_version
from partnerships.models import Partnership
from partnerships.selectors import link_count

# The home map is a picture of the network, not a data dump: past this many cities the
# page would grow heavy (and the browser slow) for no gain; the page says it is capped.
HOME_MAP_MAX_CITIES = 2000
HOME_MAP_MAX_LINKS = 3000
WORLD_MAP_CACHE_SECONDS = 600


@dataclass
class MapData:
    cities: list[list] = field(default_factory=list)
    links: list[list[int]] = field(default_factory=list)
    focus: int | None = None
    total_cities: int = 0
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
        return {
            "cities": self.cities,
            "links": self.links,
            "focus": self.focus,
            "total_cities": max(self.total_cities, len(self.cities)),
        }

    @property
    def is_capped(self) -> bool:
        return self.total_cities > len(self.cities)

    def __bool__(self) -> bool:
        return bool(self.cities)


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
    """The most connected cities with coordinates (capped) and the links among them.

    Two or three queries returning plain tuples: model instances for thousands of
    markers would cost more than the rest of the home page together.
    """
    linked = City.objects.annotate(links=link_count()).filter(
        links__gt=0, latitude__isnull=False, longitude__isnull=False
    )
    rows = list(
        linked.order_by("-links", "name", "pk").values_list(
            "pk", "latitude", "longitude", "name", "slug", "native_name", "native_name_language"
        )[: HOME_MAP_MAX_CITIES + 1]
    )
    data = MapData()
    language = get_language()
    for pk, latitude, longitude, name, slug, native, native_language in rows[:HOME_MAP_MAX_CITIES]:
        shown, _tag = choose_name(
            name=name, native_name=native, native_name_language=native_language, language=language
        )
        data.add_city(pk, latitude, longitude, shown, slug)
    # Counting every linked city only matters when the cap was hit.
    data.total_cities = linked.count() if len(rows) > HOME_MAP_MAX_CITIES else len(data.cities)
    pairs = Partnership.objects.order_by("pk").values_list("city_a_id", "city_b_id")
    for pk_a, pk_b in pairs:
        data.add_link(pk_a, pk_b)
        if len(data.links) >= HOME_MAP_MAX_LINKS:
            break
    return data


def cached_world_map(fingerprint: str) -> MapData:
    """world_map() in the active language, kept while the data version and the cities
    and links are unchanged (and at most WORLD_MAP_CACHE_SECONDS).

    With the world's links loaded, building the map is most of the home page's time.
    The data version (common.data_version) changes with any edit from any process;
    the fingerprint (counts and latest change of cities and links, free with the
    headline figures) also catches another process's edit under the per-process
    memory cache, and bulk writes that did not bump the version.
    """
    # One entry per language: the markers carry the cities' names in the reader's language.
    parts = f"{data_version()}:{fingerprint}"
    key = f"public:world-map:{get_language()}:" + hashlib.sha256(parts.encode()).hexdigest()[:32]
    data = cache.get(key)
    if data is None:
        data = world_map()
        cache.set(key, data, WORLD_MAP_CACHE_SECONDS)
    return data
