"""Reads about cities that need knowledge of their links: one home for each rule,
called by the admin, the API and the public pages alike.

- `link_count()`: how many links a city takes part in, on either side;
- `cities_with_link_count()`: cities annotated with it, as the API lists them;
- `partners_of(city)`: a city's links seen from it, in the one partner order;
- `country_pair_counts(links)`, `partner_country_counts(code)`,
  `start_decade_counts(links)`: links grouped by their two countries or by the
  decade they began (the API's facets and the public country pages).

Links touching a country are `Partnership.objects.in_country(code)` (the
index-friendly plan is written there), searches are each QuerySet's `search()`.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower, Substr

from cities.models import City

from .models import Partnership


def _links_on(side: str, city: str) -> Coalesce:
    """How many links name the outer row's `city` as `side` ("city_a" or "city_b"):
    a correlated COUNT over that side's indexed column."""
    counted = (
        Partnership.objects.filter(**{side: OuterRef(city)})
        .order_by()
        .values(side)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def link_count(city: str = "pk") -> Coalesce:
    """How many links the outer city takes part in, on either side. `city`: the outer
    row's reference to the city ("pk" when the outer rows are cities, "city_a_id" for
    a row that names a city).

    Two correlated counts rather than Count() over both reverse joins: joining both
    sides multiplies the rows (a city with 150 links on each side would make 22,500).
    """
    return _links_on("city_a", city) + _links_on("city_b", city)


def cities_with_link_count(cities: QuerySet[City] | None = None) -> QuerySet[City]:
    """Cities annotated with `partnership_count`."""
    cities = City.objects.all() if cities is None else cities
    return cities.annotate(partnership_count=link_count())


def partners_of(city, *, joined_names: bool = False) -> QuerySet[Partnership]:
    """Every link of the city, whichever side it was stored on, ordered by the partner's
    name (in any case), then kind, then id: the order of the API and the city page.

    `city`: a City, or an expression of its id (a subquery finding it by slug: the
    lean read looks the city up and pages its partners in one statement).
    `partner_id` names the city on the other side. The partner's name is a
    correlated subquery, not a join of both cities: the COUNT(*) of a paginated
    list then reads the two city columns' indexes only. `joined_names`: the name
    read from both cities joined instead, for a statement that reads their columns
    anyway (the lean reads): the same order without a subquery per link.
    """
    city_id = city.pk if isinstance(city, City) else city
    partner = Case(When(city_a_id=city_id, then=F("city_b_id")), default=F("city_a_id"))
    if joined_names:
        name = Case(When(city_a_id=city_id, then=F("city_b__name")), default=F("city_a__name"))
    else:
        name = Subquery(City.objects.filter(pk=OuterRef("partner_id")).values("name")[:1])
    return (
        Partnership.objects.involving(city)
        .alias(partner_id=partner, partner_name=Lower(name))
        .order_by("partner_name", "kind", "pk")
    )


def country_pair_counts(links: QuerySet[Partnership]) -> Counter:
    """Links by the unordered pair of their cities' countries ((DE, FR) and (FR, DE) are
    one pair; a link within one country is (DE, DE)); one grouped query."""
    pairs: Counter = Counter()
    rows = links.order_by().values("country_a", "country_b").annotate(n=Count("pk"))
    for row in rows:
        pairs[tuple(sorted((row["country_a"], row["country_b"])))] += row["n"]
    return pairs


def partner_country_counts(country_code: str) -> Counter:
    """The links of a country's cities by the partner's country (the country itself
    for links between two of its own cities); one grouped query."""
    counts: Counter = Counter()
    for (a, b), n in country_pair_counts(Partnership.objects.in_country(country_code)).items():
        counts[b if a == country_code else a] += n
    return counts


def start_decade_counts(links: QuerySet[Partnership]) -> Counter:
    """Links by the decade they began (1990 for 1990-1999; None: start not known);
    one grouped query.

    The decade from the date's ISO text ("1998-01-01"[:3] == "199"): a plain string
    function, where extracting the year is a Python function call per row on SQLite.
    """
    by_decade: Counter = Counter()
    decades = links.order_by().annotate(decade=Substr(Cast("start_date", CharField()), 1, 3))
    for row in decades.values("decade").annotate(n=Count("pk")):
        decade = row["decade"]
        by_decade[None if decade is None else int(decade) * 10] += row["n"]
    return by_decade
