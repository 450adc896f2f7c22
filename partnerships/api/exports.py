"""Exports of links that the generic list export (api.base) does not cover: a city's
partners as CSV, and links as GeoJSON LineStrings (partnerships and partners), both
streamed like every export (api.renderers)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Case, F, QuerySet, When
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_countries import countries

from api.renderers import CHUNK_SIZE, Column, GeoJSONRenderer, PartialDateColumn, stream_csv
from cities.models import City
from common.dates import PartialDate

PARTNER_SIDE_FIELDS = ("slug", "name", "native_name", "country", "latitude", "longitude")


class CountryNameColumn(Column):
    """The English name of the country whose code `lookup` holds."""

    def cell(self, position, model):
        i = position[self.lookup]
        return lambda row, fetched: countries.name(row[i]) if row[i] else ""


# Headers as the JSON's fields, flattened with dots ("city.slug", "partnership.start").
PARTNER_COLUMNS = (
    *(Column(f"city.{field}", f"partner_{field}") for field in PARTNER_SIDE_FIELDS),
    CountryNameColumn("city.country_name", "partner_country"),
    Column("partnership.id", "pk"),
    Column("partnership.kind", "kind"),
    Column("partnership.status", "status"),
    PartialDateColumn("partnership.start", "start_date", "start_precision"),
    Column("partnership.start_is_approximate", "start_is_approximate"),
    PartialDateColumn("partnership.end", "end_date", "end_precision"),
    Column("partnership.one_sided", "one_sided"),
)


def partner_rows(links: QuerySet, city: City) -> QuerySet:
    """The city's links with the partner's fields as `partner_<field>` annotations."""

    def other(field):
        return Case(
            When(city_a_id=city.pk, then=F(f"city_b__{field}")), default=F(f"city_a__{field}")
        )

    return links.annotate(**{f"partner_{field}": other(field) for field in PARTNER_SIDE_FIELDS})


def csv_response(queryset: QuerySet, cols, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        stream_csv(queryset, cols), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _point(latitude, longitude):
    if latitude is None or longitude is None:
        return None
    return [float(longitude), float(latitude)]


def stream_lines(
    links: QuerySet, *, url_template: str, page_url_template: str, from_city: City | None = None
) -> Iterator[str]:
    """A FeatureCollection, one LineString per link from city A to city B (from
    `from_city` to its partner when given); a null geometry when a city has no
    coordinates, so the export still has every link."""
    sides = ("slug", "name", "country", "latitude", "longitude")
    lookups = [
        "pk",
        "kind",
        "status",
        "one_sided",
        "start_date",
        "start_precision",
        *(f"city_{side}__{field}" for side in "ab" for field in sides),
        "city_a_id",
    ]
    rows = links.order_by("pk").prefetch_related(None).values(*lookups)
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        first, second = "a", "b"
        if from_city is not None and row["city_a_id"] != from_city.pk:
            first, second = "b", "a"
        ends = [
            _point(row[f"city_{side}__latitude"], row[f"city_{side}__longitude"])
            for side in (first, second)
        ]
        properties = {
            "id": row["pk"],
            "url": url_template.replace("{pk}", str(row["pk"])),
            "page_url": page_url_template.replace("{pk}", str(row["pk"])),
            "kind": row["kind"],
            "status": row["status"],
            "start": PartialDate.format_iso(row["start_date"], row["start_precision"]),
            "one_sided": row["one_sided"],
        }
        for label, side in (("from", first), ("to", second)):
            for field in ("slug", "name", "country"):
                properties[f"{label}.{field}"] = row[f"city_{side}__{field}"]
        feature = {
            "type": "Feature",
            "id": row["pk"],
            "geometry": {"type": "LineString", "coordinates": ends} if all(ends) else None,
            "properties": properties,
        }
        yield separator + json.dumps(feature, ensure_ascii=False, default=str)
        separator = ","
    yield "]}"


def geojson_lines_response(
    request, links: QuerySet, name: str, *, from_city: City | None = None
) -> StreamingHttpResponse:
    marker = 987654321

    def template(view):
        return request.build_absolute_uri(reverse(view, args=[marker])).replace(str(marker), "{pk}")

    response = StreamingHttpResponse(
        stream_lines(
            links,
            url_template=template("api:partnership-detail"),
            page_url_template=template("public:partnership-detail"),
            from_city=from_city,
        ),
        content_type=GeoJSONRenderer.media_type,
    )
    response["Content-Disposition"] = f'inline; filename="{name}.geojson"'
    return response
