"""One FilterSet per resource, built from the domain-free filter types of `api.filters`.
Searches and two-sided filters call the models' QuerySet methods, so the API and the
pages apply the same rule."""

from __future__ import annotations

import django_filters
from django.forms import TextInput

from api.filters import (
    CountryFilter,
    MinimumFilter,
    PartialDateFilter,
    SearchFilter,
    StrictBooleanFilter,
    slug_filter,
)
from cities.api.filters import CityFilterSet
from cities.models import City
from partnerships import models as m
from partnerships.choices import (
    EventKind,
    LiaisonOfficeStatus,
    OrganizationKind,
    PartnershipKind,
    PartnershipStatus,
)

# -- filter sets ----------------------------------------------------------------


class PartnershipFilterSet(django_filters.FilterSet):
    city = slug_filter(
        City.objects.all(),
        "A city slug; links with this city on either side.",
        method="filter_city",
    )
    country = CountryFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code; links with a city of this country on either side.",
    )
    kind = django_filters.ChoiceFilter(choices=PartnershipKind.choices)
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)
    area = slug_filter(
        m.CooperationArea.objects.all(), "A cooperation area slug.", field_name="areas"
    )
    started_after = PartialDateFilter(
        field_name="start_date",
        bound="first",
        help_text="A year, month or day (1998, 1998-04, 1998-04-13): links that started on "
        "or after its first day. Links with no known start are left out.",
    )
    started_before = PartialDateFilter(
        field_name="start_date",
        bound="last",
        help_text="A year, month or day: links that started on or before its last day "
        "(started_before=1998 includes all of 1998). Links with no known start are left out.",
    )
    one_sided = StrictBooleanFilter(
        help_text="true: links stated by one city only (e.g. in Wikidata); false: by both."
    )
    search = SearchFilter(
        help_text="Words in either city's name, native name or slug, or in the description."
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("start_date", "start"),
            ("city_a__name", "city_a"),
            ("city_b__name", "city_b"),
            ("kind", "kind"),
            ("status", "status"),
            ("id", "id"),
            ("updated_at", "updated"),
        ),
        help_text="Sort by start, city_a, city_b, kind, status, id or updated; "
        "prefix with - to reverse; several separated by commas.",
    )

    class Meta:
        model = m.Partnership
        fields = [
            "city",
            "country",
            "kind",
            "status",
            "area",
            "started_after",
            "started_before",
            "one_sided",
        ]

    def filter_city(self, queryset, name, city):
        return queryset.involving(city)

    def filter_country(self, queryset, name, code):
        return queryset.in_country(code)


class CityWithPartnersFilterSet(CityFilterSet):
    min_partners = MinimumFilter(
        field_name="partnership_count",
        help_text="Cities with at least this many links (of any kind, on either side).",
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("country", "country"),
            ("population", "population"),
            ("partnership_count", "partnership_count"),
        ),
        help_text="Sort by name, country, population or partnership_count; prefix with - "
        "to reverse.",
    )

    class Meta(CityFilterSet.Meta):
        fields = [*CityFilterSet.Meta.fields, "min_partners"]


class LiaisonOfficeFilterSet(django_filters.FilterSet):
    organization = slug_filter(m.Organization.objects.all(), "The organisation's slug.")
    home_city = slug_filter(City.objects.all(), "The home city's slug (who sends the office).")
    host_city = slug_filter(City.objects.all(), "The host city's slug (where the office is).")
    country = CountryFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code; offices whose home or host city is in this country.",
    )
    status = django_filters.ChoiceFilter(choices=LiaisonOfficeStatus.choices)

    class Meta:
        model = m.LiaisonOffice
        fields = ["organization", "home_city", "host_city", "country", "status"]

    def filter_country(self, queryset, name, code):
        return queryset.in_country(code)


class OfficialFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the city the official acts for.")
    search = SearchFilter(help_text="Words in the official's name or title, or their city's name.")

    class Meta:
        model = m.Official
        fields = ["city", "search"]


class OrganizationFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the organisation's city.")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    search = SearchFilter(help_text="Words in the name, short name or nickname.")

    class Meta:
        model = m.Organization
        fields = ["city", "kind", "search"]


class EventFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the city where the event took place.")
    partnership = django_filters.ModelChoiceFilter(
        queryset=m.Partnership.objects.all(), help_text="A partnership id.", widget=TextInput
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    date_after = PartialDateFilter(
        field_name="date",
        bound="first",
        help_text="A year, month or day: events on or after its first day.",
    )
    date_before = PartialDateFilter(
        field_name="date",
        bound="last",
        help_text="A year, month or day: events on or before its last day.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(("date", "date"), ("title", "title"), ("id", "id")),
        help_text="Sort by date, title or id; prefix with - to reverse. Default: newest first.",
    )

    class Meta:
        model = m.Event
        fields = ["city", "partnership", "kind", "date_after", "date_before"]


class SourceFilterSet(django_filters.FilterSet):
    search = SearchFilter(help_text="Words in the publisher or the title.")

    class Meta:
        model = m.Source
        fields = ["search"]


class AreaFilterSet(django_filters.FilterSet):
    search = SearchFilter(help_text="Words in the area's name.")

    class Meta:
        model = m.CooperationArea
        fields = ["search"]
