"""The querysets behind each API resource: everything a page of results needs,
fetched in a fixed number of queries however many rows the page has."""

from django.db.models import Prefetch

from api.fields import prefetched
from partnerships import models as m


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
