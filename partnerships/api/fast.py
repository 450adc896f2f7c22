"""Links and cities read as values() rows into the dicts the serializers make (the
API's fast read path, api.fastread): PartnershipSerializer, CityWithPartnerships-
Serializer and PartnerSerializer, the same bytes (tests/test_api_representation_
golden.py), in fewer queries (tests/test_api_query_counts.py).

A page of links is one query for the rows with both cities joined and one for their
sources and areas together, each read as tuples: no model instance, no serializer
field, no reverse() per row.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from django.conf import settings
from django.db.models import BigIntegerField, CharField, DateField, Value
from django.db.models.query import ValuesIterable
from django.utils import timezone, translation
from django_countries.fields import Country

from api.fastread import date_text, datetime_text, url_templates
from api.prepared import PreparedQuery
from cities.api.fast import CITY_COLUMNS, city_maker, summary_columns, summary_maker
from cities.api.serializers import country_names
from common.dates import PartialDate
from partnerships import models as m


def partial(value, precision) -> str | None:
    """PartialDateField.to_representation of a stored (date, precision) pair."""
    found = PartialDate.of(value, precision)
    return found.isoformat() if found else None


# -- cities -------------------------------------------------------------------------


def city_records(request, queryset) -> list[tuple]:
    """(pk, record) of cities annotated with partnership_count
    (CityWithPartnershipsSerializer)."""
    make = city_maker(request, extra=(("partnership_count", "partnership_count", 0),))
    if not _reads_values(queryset):
        queryset = city_values(queryset)
    return [(row["id"], make(row)) for row in queryset]


def city_values(queryset):
    """The values() city_records() reads (see CityViewSet.fast_queryset)."""
    return queryset.prefetch_related(None).values(*CITY_COLUMNS, "partnership_count")


def _reads_values(queryset) -> bool:
    return issubclass(queryset._iterable_class, ValuesIterable)


# -- links --------------------------------------------------------------------------

LINK_COLUMNS = (
    "id",
    "kind",
    "status",
    "start_date",
    "start_precision",
    "start_is_approximate",
    "end_date",
    "end_precision",
    "one_sided",
)


def link_terms(row) -> dict:
    """A link's own terms from its LINK_COLUMNS, in the serializers' order."""
    return {
        "kind": row["kind"],
        "status": row["status"],
        "start": partial(row["start_date"], row["start_precision"]),
        "start_is_approximate": row["start_is_approximate"],
        "end": partial(row["end_date"], row["end_precision"]),
        "one_sided": row["one_sided"],
    }


PARTNERSHIP_COLUMNS = (
    *LINK_COLUMNS,
    "description",
    "created_at",
    "updated_at",
    *summary_columns("city_a__"),
    *summary_columns("city_b__"),
)


#: A page's sources and areas in one prepared statement (api.prepared; the ids are the
#: page's): its sources' rows, then (UNION ALL) its areas' with no source id, the
#: area's slug and name where a source has its publisher and title. Each list is put
#: in its order (sources by id, areas by name) here.
_CITATIONS = PreparedQuery(
    lambda slot: (
        m.PartnershipSource.objects.filter(partnership_id__in=slot("ids", many=True))
        .order_by()
        .values_list(
            "partnership_id",
            "source_id",
            "source__publisher",
            "source__title",
            "source__url",
            "source__published_on",
        )
        .union(
            m.PartnershipArea.objects.filter(partnership_id__in=slot("ids", many=True))
            .order_by()
            .values_list(
                "partnership_id",
                Value(None, output_field=BigIntegerField()),
                "area__slug",
                "area__name",
                Value(None, output_field=CharField()),
                Value(None, output_field=DateField()),
            ),
            all=True,
        )
    )
)


def _citations_of(request, ids) -> tuple[dict, dict]:
    """(partnership id -> its area slugs, by the areas' name; partnership id -> its
    source summaries (SourceSummarySerializer), by source id).

    Each source's summary is made once and shared by the links citing it (a page of
    imported links cites a handful of datasets: 233 citations of 3 sources on the
    first page of Germany's); nothing edits a record after it is made (?fields= copies)."""
    source_url = url_templates(request).api("api:source-detail")
    areas, sources = defaultdict(list), defaultdict(list)
    made: dict = {}
    for link, pk, publisher, title, url, published_on in _CITATIONS.rows(ids=ids, tuples=True):
        if pk is None:  # an area: its slug and name
            areas[link].append((title, publisher))
            continue
        summary = made.get(pk)
        if summary is None:
            summary = made[pk] = {
                "url": source_url(pk),
                "id": pk,
                "publisher": publisher,
                "title": title,
                "source_url": url,
                "published_on": date_text(published_on),
            }
        sources[link].append(summary)
    for link, named in areas.items():
        areas[link] = [slug for _, slug in sorted(named)]
    for found in sources.values():
        found.sort(key=_BY_ID)
    return areas, sources


_BY_ID = itemgetter("id")


def partnership_values(queryset):
    """The values() partnership_records() reads (see PartnershipViewSet.fast_queryset)."""
    return queryset.prefetch_related(None).values(*PARTNERSHIP_COLUMNS)


def partnership_records(request, queryset) -> list[tuple]:
    """(pk, record) of links as PartnershipSerializer shows them."""
    if not _reads_values(queryset):
        queryset = partnership_values(queryset)
    return partnership_records_of(request, list(queryset))


def partnership_records_of(request, rows: list[dict]) -> list[tuple]:
    """partnership_records() of rows read already (PARTNERSHIP_COLUMNS, by values())."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    areas, sources = _citations_of(request, ids)
    urls = url_templates(request)
    api_url = urls.api("api:partnership-detail")
    page_url = urls.page(m.Partnership, "pk")
    city_a, city_b = summary_maker(request, "city_a__"), summary_maker(request, "city_b__")
    zone = timezone.get_current_timezone()
    records = []
    for row in rows:
        pk = row["id"]
        records.append(
            (
                pk,
                {
                    "url": api_url(pk),
                    "page_url": page_url(pk),
                    "id": pk,
                    "city_a": city_a(row),
                    "city_b": city_b(row),
                    **link_terms(row),
                    "areas": areas.get(pk, []),
                    "sources": sources.get(pk, []),
                    "description": row["description"],
                    "created_at": datetime_text(row["created_at"], zone),
                    "updated_at": datetime_text(row["updated_at"], zone),
                },
            )
        )
    return records


# -- /cities/<slug>/partners/ -------------------------------------------------------

PARTNER_COLUMNS = (
    *LINK_COLUMNS,
    "city_a_id",
    *summary_columns("city_a__"),
    *summary_columns("city_b__"),
)


def partner_records(request, queryset, city) -> list[tuple]:
    """(pk, record) of a city's links as PartnerSerializer shows them: the city on the
    other side (with its country's English name) and the link."""
    rows = queryset.prefetch_related(None).values(*PARTNER_COLUMNS)
    return partner_records_of(request, rows, city.pk)


def partner_records_of(request, rows, city_pk) -> list[tuple]:
    """partner_records() of rows read already (PARTNER_COLUMNS, by values())."""
    urls = url_templates(request)
    api_url = urls.api("api:partnership-detail")
    page_url = urls.page(m.Partnership, "pk")
    partner_b, partner_a = summary_maker(request, "city_b__"), summary_maker(request, "city_a__")
    language_given = "display_name"
    names = country_names(translation.get_language() or settings.LANGUAGE_CODE)
    records = []
    for row in rows:
        pk = row["id"]
        on_a = row["city_a_id"] == city_pk
        partner = partner_b(row) if on_a else partner_a(row)
        code = row["city_b__country" if on_a else "city_a__country"] or ""
        name = country_name(names, code)
        if language_given in partner:
            # ?lang=: country_name (in that language) is already there, after the
            # English one's place: the serializer sets the English name first.
            partner = _with_english_country_slot(partner)
        else:
            partner["country_name"] = name
        records.append(
            (
                pk,
                {
                    "city": partner,
                    "partnership": {
                        "url": api_url(pk),
                        "page_url": page_url(pk),
                        "id": pk,
                        **link_terms(row),
                    },
                },
            )
        )
    return records


def country_name(names: dict, code: str) -> str:
    """A partner's country name: from `names` (country_names()), else django-countries'
    own, "" for no country."""
    name = names.get(code)
    if name is None:
        name = str(Country(code=code).name) if code else ""
    return name


def _with_english_country_slot(partner: dict) -> dict:
    """PartnerCitySerializer puts country_name (English) before ?lang='s display_name,
    then ?lang= overwrites country_name in its place: the same key order here."""
    ordered = {key: value for key, value in partner.items() if key not in ("display_name",)}
    country_name = ordered.pop("country_name")
    ordered["country_name"] = country_name
    ordered["display_name"] = partner["display_name"]
    return ordered
