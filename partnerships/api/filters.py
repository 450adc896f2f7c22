"""One FilterSet per resource. Every filter validates its value: a bad one is a 400
naming the filter (django-filter's form errors), never a 500 or an ignored filter.

Slug filters (`city`, `area`, `organization`...) must name a record that exists;
a typo answers "Select a valid choice" rather than an empty list that looks like
a real answer.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from cities.api.filters import CityFilterSet, CountryFilter
from cities.models import City
from partnerships import models as m
from partnerships.choices import (
    EventKind,
    LiaisonOfficeStatus,
    OrganizationKind,
    PartnershipKind,
    PartnershipStatus,
)
from partnerships.dates import PartialDate, period_end

# -- filter types ---------------------------------------------------------------


class PartialDateFormField(forms.Field):
    """A year, a month or a day: "1998", "1998-04", "1998-04-13"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def last_day(value: PartialDate) -> dt.date:
    """The last day of the period a partial date names (1998 -> 1998-12-31)."""
    return period_end(value.date, value.precision)


class PartialDateFilter(django_filters.Filter):
    """Compares a date field with the start (`bound="first"`) or the end (`bound="last"`)
    of the period named: started_after=1998 means on or after 1998-01-01;
    started_before=1998 means on or before 1998-12-31. Both ends are inclusive."""

    field_class = PartialDateFormField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs["lookup_expr"] = "gte" if bound == "first" else "lte"
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "example": "1998",
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def filter(self, qs, value):
        if value is None:
            return qs
        day = value.date if self.bound == "first" else last_day(value)
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": day})


def slug_filter(queryset, help_text: str, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter on a related record named by its slug; an unknown slug is a 400."""
    return extend_schema_field({"type": "string", "description": help_text})(
        django_filters.ModelChoiceFilter(
            queryset=queryset, to_field_name="slug", help_text=help_text, **kwargs
        )
    )


class NonNegativeIntegerField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


class MinimumFilter(django_filters.NumberFilter):
    field_class = NonNegativeIntegerField

    def __init__(self, *args, **kwargs):
        kwargs["lookup_expr"] = "gte"
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {"type": "integer", "minimum": 0, "description": kwargs.get("help_text", "")}
        )(self)


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true/false only: django-filter's BooleanFilter reads "maybe" as "no filter",
    which would hand back every row for a typo."""

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        kwargs["coerce"] = lambda value: value == "true"
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "boolean", "description": kwargs.get("help_text", "")})(self)


def search_filter(help_text: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(method="filter_search", help_text=help_text)


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
    search = search_filter("Words in either city's name or native name, or the description.")
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

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(city_a__name__icontains=value)
            | Q(city_b__name__icontains=value)
            | Q(city_a__native_name__icontains=value)
            | Q(city_b__native_name__icontains=value)
            | Q(description__icontains=value)
        )


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
        city_ids = City.objects.filter(country=code).values("pk")
        return queryset.filter(Q(home_city__in=city_ids) | Q(host_city__in=city_ids))


class OfficialFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the city the official acts for.")
    search = search_filter("Words in the official's name or title.")

    class Meta:
        model = m.Official
        fields = ["city", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value))


class OrganizationFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the organisation's city.")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    search = search_filter("Words in the name, short name or nickname.")

    class Meta:
        model = m.Organization
        fields = ["city", "kind", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(nickname__icontains=value)
        )


class EventFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the city where the event took place.")
    partnership = django_filters.ModelChoiceFilter(
        queryset=m.Partnership.objects.all(), help_text="A partnership id."
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
    search = search_filter("Words in the publisher or the title.")

    class Meta:
        model = m.Source
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(publisher__icontains=value) | Q(title__icontains=value))


class AreaFilterSet(django_filters.FilterSet):
    search = search_filter("Words in the area's name.")

    class Meta:
        model = m.CooperationArea
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
