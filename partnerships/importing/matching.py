"""Which place is a town that a data set names by free text?

The Wikidata cities (C) and the cities already stored are the backbone: they are
identified (Wikidata ID or primary key). A mention of the Wikipedia lists (A) or the
Czech data (D) is matched to one of them, or to a place an earlier mention created,
when the evidence says it is the same place; otherwise it becomes a new place.

The rules, in order (each one tested in tests/test_import_place_rules.py):

1. Same data-set id (the Czech file's S-/F- codes) or the same written name, country
   and coordinates as a mention already placed: the same place.
2. Wrong geocode: a mention whose coordinates lie within WRONG_GEOCODE_KM of a place
   of the same name in a country on another continent was geocoded to that namesake
   ("Florence, United States" at Florence, Italy): its coordinates are dropped.
3. Same country and the same folded name (name_key of the name, or of the name without
   its qualifier), with coordinates: the nearest place within SAME_PLACE_KM is the
   same place. Places of that name between SAME_PLACE_KM and UNSURE_KM away are not
   merged and are listed as possible duplicates of the new place.
4. Without coordinates (rule 2): only a stored place that has no coordinates either
   and the same folded name is the same place (a place this rule created on an earlier
   run); any other namesake in the country is listed as a possible duplicate.
5. A different country is never the same place, even at the same point: border towns
   (Görlitz in Germany and Görlitz in Poland, as the cities data places it) are kept
   apart and listed as possible duplicates when they are that close.

A place that nothing matches becomes a new city: its name as written (the qualifier
in parentheses kept, so "Stari Grad (Sarajevo)" stays readable), its region from the
country string ("Ohio, United States") or from a ", Region" after the name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .places import (
    SAME_PLACE_KM,
    UNSURE_KM,
    WRONG_GEOCODE_KM,
    distance_km,
    name_key,
    split_name,
)
from .towns import Mention


@dataclass
class Place:
    key: str
    name: str
    country: str
    region: str
    latitude: Decimal | None
    longitude: Decimal | None
    qid: str = ""
    pk: int | None = None
    new: bool = False
    origin: str = ""  # the data set that first named a new place
    datasets: set[str] = field(default_factory=set)
    region_fill: str = ""  # a region a mention gives to a place that had none

    @property
    def coordinates(self) -> tuple | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def keys(self) -> set[str]:
        return place_keys(self.name)


def place_keys(name: str) -> set[str]:
    keys = {name_key(name), name_key(split_name(name).name)}
    keys.discard("")
    return keys


@dataclass
class Decisions:
    by_name_and_place: int = 0
    by_id: int = 0
    wrong_geocodes: list[str] = field(default_factory=list)
    new_places: int = 0
    unsure: int = 0


class Gazetteer:
    """Every place the import knows, indexed by (country, folded name) and folded name."""

    def __init__(self, continents: dict[str, str]):
        self.places: dict[str, Place] = {}
        self.by_country_key: dict[tuple[str, str], list[Place]] = defaultdict(list)
        self.by_key: dict[str, list[Place]] = defaultdict(list)
        self.continents = continents
        self.seen: dict[tuple, str] = {}  # (dataset ident) or (written, country, coords) → key
        self.possible_duplicates: dict[tuple[str, str], str] = {}
        self.decisions = Decisions()
        self._next = 0

    def add(self, place: Place) -> Place:
        self.places[place.key] = place
        for key in place.keys:
            self.by_country_key[(place.country, key)].append(place)
            self.by_key[key].append(place)
        return place

    def _unsure(self, a: Place, b: Place, why: str) -> None:
        pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
        self.possible_duplicates.setdefault(pair, why)

    def _other_continent(self, a: str, b: str) -> bool:
        ca, cb = self.continents.get(a), self.continents.get(b)
        return bool(ca and cb and ca != cb)

    def settle(self) -> None:
        """Start the second pass: every place of every mention now exists, so each mention
        is matched again against all of them, as a later run will match it against the
        stored places. The first pass only makes sure a place exists."""
        self.seen.clear()
        self.decisions = Decisions()

    def drop_unused(self, used: set[str]) -> None:
        """Forget the places the first pass created that no mention settled on."""
        for key in [k for k, p in self.places.items() if p.origin and k not in used]:
            del self.places[key]
        self.possible_duplicates = {
            pair: why
            for pair, why in self.possible_duplicates.items()
            if pair[0] in self.places and pair[1] in self.places
        }

    def place(self, mention: Mention) -> Place:
        """The place a mention names (rule numbers as in the module docstring)."""
        coords = mention.coordinates
        memo = (
            (mention.dataset, mention.ident)
            if mention.ident
            else (mention.written, mention.country, mention.region, coords)
        )
        known = self.seen.get(memo)
        if known is not None:  # rule 1
            self.decisions.by_id += 1
            place = self.places[known]
            place.datasets.add(mention.dataset)
            return place
        keys = sorted(place_keys(mention.written) | place_keys(mention.name))
        main_key = name_key(mention.name)
        if coords is not None:  # rule 2
            for other in self.by_key.get(main_key, ()):
                there = other.coordinates
                if (
                    there is not None
                    and other.country != mention.country
                    and self._other_continent(other.country, mention.country)
                    and distance_km(coords, there) <= WRONG_GEOCODE_KM
                ):
                    self.decisions.wrong_geocodes.append(
                        f"{mention.dataset} line {mention.line}: {mention.written} "
                        f"({mention.country}) is geocoded to {other.name} ({other.country}); "
                        "its coordinates are not used"
                    )
                    coords = None
                    break
        candidates: list[Place] = []
        for key in keys:
            for place in self.by_country_key.get((mention.country, key), ()):
                if place not in candidates:
                    candidates.append(place)
        found, unsure = self._choose(candidates, coords)
        if found is None:
            found = self._create(mention, coords)
            for other in unsure:
                self._unsure(
                    found,
                    other,
                    f"same name in {mention.country}, "
                    + (
                        f"{distance_km(coords, other.coordinates):.0f} km apart"
                        if coords and other.coordinates
                        else "no coordinates to compare"
                    ),
                )
            self._near_abroad(found, main_key)
        else:
            self.decisions.by_name_and_place += 1
            region = mention.region or (
                mention.qualifier if mention.qualifier and ", " in mention.written else ""
            )
            if region and not found.region and not found.region_fill:
                found.region_fill = region
        found.datasets.add(mention.dataset)
        self.seen[memo] = found.key
        return found

    def _choose(self, candidates: list[Place], coords) -> tuple[Place | None, list[Place]]:
        if coords is None:  # rule 4
            for place in candidates:
                if place.coordinates is None:
                    return place, []
            return None, candidates
        best, best_km, unsure = None, None, []
        for place in candidates:  # rule 3
            there = place.coordinates
            if there is None:
                continue
            km = distance_km(coords, there)
            if km <= SAME_PLACE_KM and (best_km is None or km < best_km):
                best, best_km = place, km
            elif SAME_PLACE_KM < km <= UNSURE_KM:
                unsure.append(place)
        if best is not None:
            return best, []
        return None, unsure

    def _near_abroad(self, place: Place, key: str) -> None:
        """Rule 5: a namesake across a border at the same point is listed, not merged."""
        here = place.coordinates
        if here is None:
            return
        for other in self.by_key.get(key, ()):
            there = other.coordinates
            if (
                other is not place
                and other.country != place.country
                and there is not None
                and distance_km(here, there) <= WRONG_GEOCODE_KM
            ):
                self._unsure(
                    place,
                    other,
                    f"same name {distance_km(here, there):.0f} km apart, in "
                    f"{place.country} and {other.country}",
                )

    def _create(self, mention: Mention, coords) -> Place:
        self._next += 1
        self.decisions.new_places += 1
        comma = ", " in mention.written and not mention.written.endswith(")")
        name = mention.name if comma else mention.written
        region = mention.region or (mention.qualifier if comma else "")
        latitude, longitude = coords if coords else (None, None)
        return self.add(
            Place(
                key=f"new:{self._next}",
                name=name,
                country=mention.country,
                region=region,
                latitude=latitude,
                longitude=longitude,
                new=True,
                origin=mention.dataset,
            )
        )
