"""One FilterSet per resource, built from the domain-free filter types of `api.filters`.
Searches and two-sided filters call the models' QuerySet methods, so the API and the
pages apply the same rule."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.forms import TextInput

from api.filters import (
    CountryFilter,
    CountryListFilter,
    MinimumFilter,
    PartialDateFilter,
    RepeatableOrderingFilter,
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
from partnerships.importing.datasets import DATASETS

SOURCE_HELP = "A data set's key (e.g. wikidata-cities): links that data set states."

# -- filter sets ----------------------------------------------------------------


class PartnershipFilterSet(django_filters.FilterSet):
    city = slug_filter(
        City.objects.all(),
        "A city slug; links with this city on either side.",
        method="filter_city",
    )
    country = CountryListFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 codes (DE, or DE,FR, or repeated): links with a city "
        "of one of these countries on either side. With partner_country: on one side.",
    )
    partner_country = CountryListFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 codes. With country: links between a city of "
        "`country` and a city of `partner_country`, whichever side each is on "
        "(country=DE&partner_country=FR: every German-French link). Alone: as country.",
    )
    domestic = StrictBooleanFilter(
        method="filter_domestic",
        help_text="true: links between two cities of one country; false: of two countries.",
    )
    start_known = StrictBooleanFilter(
        field_name="start_date",
        method="filter_known",
        help_text="true: links with a known start date; false: with none.",
    )
    end_known = StrictBooleanFilter(
        field_name="end_date",
        method="filter_known",
        help_text="true: links with a known end date; false: with none.",
    )
    # The data sets an import knows (enumerated in the schema): one not imported here
    # is an empty list, not a 400; any other value is a 400 naming the keys.
    source = django_filters.ChoiceFilter(
        choices=[(dataset.key, dataset.title) for dataset in DATASETS],
        method="filter_source",
        help_text=SOURCE_HELP,
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="An ISO 8601 date-time (2025-01-31T12:00:00Z): links changed since, for "
        "incremental sync (deleted links are not listed).",
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
    ordering = RepeatableOrderingFilter(
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

    def filter_country(self, queryset, name, codes):
        # country and partner_country are read together: the pair is one rule.
        countries = self.form.cleaned_data.get("country")
        partners = self.form.cleaned_data.get("partner_country")
        if countries and partners:
            if name == "partner_country":
                return queryset
            return queryset.between_countries(countries, partners)
        return queryset.in_country(codes)

    def filter_domestic(self, queryset, name, value):
        return queryset.domestic(value)

    def filter_known(self, queryset, name, known):
        return queryset.filter(**{f"{name}__isnull": not known})

    def filter_source(self, queryset, name, key):
        return queryset.stated_by(key)


class PartnerFilterSet(django_filters.FilterSet):
    """/cities/<slug>/partners/: the links of one city, seen from it (queryset from
    partnerships.selectors.partners_of, which names the other side `partner_id`)."""

    country = CountryListFilter(
        method="filter_country", help_text="ISO 3166-1 alpha-2 codes of the partner's country."
    )
    kind = django_filters.ChoiceFilter(choices=PartnershipKind.choices)
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)
    started_after = PartnershipFilterSet.base_filters["started_after"]
    started_before = PartnershipFilterSet.base_filters["started_before"]
    start_known = PartnershipFilterSet.base_filters["start_known"]
    one_sided = PartnershipFilterSet.base_filters["one_sided"]

    class Meta:
        model = m.Partnership
        fields = ["country", "kind", "status", "started_after", "started_before", "one_sided"]

    def filter_country(self, queryset, name, codes):
        return queryset.filter(
            partner_id__in=City.objects.filter(country__in=codes).order_by().values("pk")
        )

    def filter_known(self, queryset, name, known):
        return queryset.filter(**{f"{name}__isnull": not known})


class CityWithPartnersFilterSet(CityFilterSet):
    min_partners = MinimumFilter(
        field_name="partnership_count",
        help_text="Cities with at least this many links (of any kind, on either side).",
    )
    ordering = RepeatableOrderingFilter(
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
    city = slug_filter(
        City.objects.all(),
        "A city slug: offices of this city, as home or host.",
        method="filter_city",
    )
    partnership = django_filters.ModelChoiceFilter(
        queryset=m.Partnership.objects.all(), help_text="A partnership id."
    )
    country = CountryFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code; offices whose home or host city is in this country.",
    )
    status = django_filters.ChoiceFilter(choices=LiaisonOfficeStatus.choices)
    search = SearchFilter(
        help_text="Words in the office's name, its organisation's name or short name, or "
        "either city's names (e.g. Zhongguancun)."
    )

    class Meta:
        model = m.LiaisonOffice
        fields = [
            "organization",
            "home_city",
            "host_city",
            "city",
            "partnership",
            "country",
            "status",
            "search",
        ]

    def filter_city(self, queryset, name, city):
        return queryset.filter(Q(home_city=city) | Q(host_city=city))

    def filter_country(self, queryset, name, code):
        return queryset.in_country(code)


class OfficialFilterSet(django_filters.FilterSet):
    city = slug_filter(City.objects.all(), "The slug of the city the official acts for.")
    organization = slug_filter(m.Organization.objects.all(), "The organisation's slug.")
    event = django_filters.ModelChoiceFilter(
        queryset=m.Event.objects.all(),
        field_name="events",
        help_text="An event id: the officials who took part in it.",
    )
    search = SearchFilter(help_text="Words in the official's name or title, or their city's name.")

    class Meta:
        model = m.Official
        fields = ["city", "organization", "event", "search"]


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
    liaison_office = slug_filter(m.LiaisonOffice.objects.all(), "The liaison office's slug.")
    official = slug_filter(
        m.Official.objects.all(),
        "An official's slug: events they took part in.",
        field_name="participants",
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    search = SearchFilter(help_text="Words in the title or summary, or the city's names.")
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
    ordering = RepeatableOrderingFilter(
        fields=(("date", "date"), ("title", "title"), ("id", "id")),
        help_text="Sort by date, title or id; prefix with - to reverse. Default: newest first.",
    )

    class Meta:
        model = m.Event
        fields = [
            "city",
            "partnership",
            "liaison_office",
            "official",
            "kind",
            "search",
            "date_after",
            "date_before",
        ]


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
