"""The querysets behind each API resource: everything a page of results needs,
fetched in a fixed number of queries however many rows the page has."""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cities.models import City
from config.api_base import prefetched
from partnerships import models as m


def _count_of(queryset, column: str):
    """A correlated COUNT(*) of `queryset` rows whose `column` is the outer row's pk."""
    counted = (
        queryset.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cities_with_partnership_count():
    """Cities annotated with `partnership_count`: links in which the city is either side.

    Two indexed correlated counts (city_a, city_b) rather than a join of both sides,
    which would multiply rows before counting them.
    """
    links = m.Partnership.objects.all()
    return City.objects.annotate(
        partnership_count=_count_of(links, "city_a") + _count_of(links, "city_b")
    )


def _list(name: str, queryset=None) -> Prefetch:
    """Prefetch into a plain list (see fields.PrefetchedManyRelatedField)."""
    return Prefetch(name, queryset=queryset, to_attr=prefetched(name))


def partnerships_for_api():
    # Ordered by id, not by city names (the model's default): a page is then read
    # from the primary key index instead of sorting every joined link, and pages
    # stay stable while links are added. ?ordering=city_a sorts by name.
    return (
        m.Partnership.objects.with_cities()
        .prefetch_related(_list("areas"), _list("sources", m.Source.objects.order_by("pk")))
        .order_by("pk")
    )


def liaison_offices_for_api():
    return m.LiaisonOffice.objects.select_related(
        "organization",
        "home_city",
        "host_city",
        "partnership__city_a",
        "partnership__city_b",
    ).prefetch_related(_list("focus_areas"), _list("sources", m.Source.objects.order_by("pk")))


def officials_for_api():
    return m.Official.objects.select_related("city", "organization")


def organizations_for_api():
    return m.Organization.objects.select_related("city").prefetch_related(_list("figures"))


def events_for_api():
    return m.Event.objects.select_related(
        "city", "partnership__city_a", "partnership__city_b", "liaison_office"
    ).prefetch_related(
        _list("participants", m.Official.objects.order_by("name")),
        _list("sources", m.Source.objects.order_by("pk")),
        _list("quotes", m.Quote.objects.select_related("official").order_by("pk")),
    )


def partners_of(city):
    """The links of one city, whichever side it was stored on, ordered by the partner's name.

    The partner's name is a correlated subquery, not a join of both cities: the
    COUNT(*) of the paginated list then reads the two city columns' indexes only.
    """
    partner = Case(When(city_a_id=city.pk, then=F("city_b_id")), default=F("city_a_id"))
    partner_name = City.objects.filter(pk=OuterRef("partner_id")).values("name")[:1]
    return (
        m.Partnership.objects.involving(city)
        .with_cities()
        .alias(partner_id=partner, partner_name=Subquery(partner_name))
        .order_by("partner_name", "kind", "pk")
    )
