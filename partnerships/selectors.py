"""Reads about cities that need knowledge of their links: one home for each rule,
called by the admin, the API and the public pages alike.

- `link_count()`: how many links a city takes part in, on either side;
- `cities_with_link_count()`: cities annotated with it, as the API lists them;
- `partners_of(city)`: a city's links seen from it, in the one partner order.

Links touching a country are `Partnership.objects.in_country(code)` (the
index-friendly plan is written there), searches are each QuerySet's `search()`.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

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


def partners_of(city: City) -> QuerySet[Partnership]:
    """Every link of the city, whichever side it was stored on, ordered by the partner's
    name (in any case), then kind, then id: the order of the API and the city page.

    `partner_id` names the city on the other side. The partner's name is a
    correlated subquery, not a join of both cities: the COUNT(*) of a paginated
    list then reads the two city columns' indexes only.
    """
    partner = Case(When(city_a_id=city.pk, then=F("city_b_id")), default=F("city_a_id"))
    partner_name = City.objects.filter(pk=OuterRef("partner_id")).values("name")[:1]
    return (
        Partnership.objects.involving(city)
        .alias(partner_id=partner, partner_name=Lower(Subquery(partner_name)))
        .order_by("partner_name", "kind", "pk")
    )
