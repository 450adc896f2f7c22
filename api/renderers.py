"""Exports: CSV and NDJSON for every list, GeoJSON for cities and links.

A list asked for with ?format=csv (or ?format=geojson) returns every row that
matches its filters, not one page. The rows are streamed: read with values() (no
model instances) through queryset.iterator() in chunks, written a chunk at a time,
so memory stays flat however many rows there are. Many-to-many columns (a link's
areas) are fetched with one query per chunk, not one per row.

The renderer classes below are what DRF's content negotiation sees; they also
render a single record (a detail page asked for as CSV or GeoJSON). The streaming
itself is done by `stream_csv` / `stream_geojson`, called from the list view.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import BooleanField, Model, QuerySet
from django.http import HttpResponse
from rest_framework.renderers import BaseRenderer

from common.dates import PartialDate

# Rows per database fetch and per many-to-many lookup (an IN list of this many ids;
# SQLite >= 3.32 allows 32,766 parameters, PostgreSQL has no such limit).
CHUNK_SIZE = 2000


# -- column specifications ------------------------------------------------------
#
# Each column knows the values() lookups it needs and makes a "cell" function that
# turns one fetched row (a tuple) into its CSV value. The functions are made once
# per export, so the per-row work is a list of plain calls.


def _model_field(model, lookup: str):
    """The model field a values() lookup ends on ("city_a__country" -> City.country);
    None for an annotation."""
    *path, last = lookup.split("__")
    try:
        for name in path:
            model = model._meta.get_field(name).related_model
        return model._meta.pk if last == "pk" else model._meta.get_field(last)
    except FieldDoesNotExist:
        return None


@dataclass(frozen=True)
class Column:
    """A plain value: `lookup` is a values() path such as "city_a__slug"."""

    header: str
    lookup: str

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,)

    def cell(self, position: dict, model):
        i = position[self.lookup]
        if isinstance(_model_field(model, self.lookup), BooleanField):
            return lambda row, fetched: None if row[i] is None else ("true" if row[i] else "false")
        return lambda row, fetched: row[i]


@dataclass(frozen=True)
class TemplateColumn:
    """A URL made from a template holding "{key}" and the row's `lookup` value (built
    once per export by the view, so no URL is reversed per row)."""

    header: str
    template: str
    lookup: str

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,)

    def cell(self, position: dict, model):
        i = position[self.lookup]
        return lambda row, fetched: self.template.replace("{key}", str(row[i]))


@dataclass(frozen=True)
class PartialDateColumn:
    """A date at its precision, written as reduced ISO 8601 ("1998", "2018-04")."""

    header: str
    date_lookup: str
    precision_lookup: str

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.date_lookup, self.precision_lookup)

    def cell(self, position: dict, model):
        d, p = position[self.date_lookup], position[self.precision_lookup]
        return lambda row, fetched: PartialDate.format_iso(row[d], row[p])


@dataclass(frozen=True)
class ManyColumn:
    """Values of a many-to-many relation joined with "; " (e.g. a link's area slugs).

    `through` is the through model, `owner` its foreign key to the exported model,
    `lookup` the value path from the through model ("area__slug"). Fetched with one
    query per chunk of rows.
    """

    header: str
    through: type[Model]
    owner: str
    lookup: str

    lookups = ()

    def fetch(self, ids: list) -> dict:
        values = defaultdict(list)
        if not ids:
            return values
        # The ids came from the database as integers. An `IN` written as SQL with one
        # parameter each skips Django's per-value lookup preparation, which was half
        # the cost of the export (filter(owner__in=ids) prepares 2,000 values a chunk).
        quote = connection.ops.quote_name
        table = quote(self.through._meta.db_table)
        column = quote(self.through._meta.get_field(self.owner).column)
        rows = (
            self.through.objects.extra(
                where=[f"{table}.{column} IN ({', '.join(['%s'] * len(ids))})"],
                params=ids,
            )
            .order_by(self.owner, self.lookup)
            .values_list(self.owner, self.lookup)
        )
        for owner_id, value in rows:
            values[owner_id].append(str(value))
        return values

    def cell(self, position: dict, model):
        return lambda row, fetched: "; ".join(fetched[self].get(row[0], ()))


def columns(model, *specs) -> tuple:
    """The CSV columns of an export, in order, from short specs:

    - "name": the model field (or annotation) of that name, header the same;
    - ("header", "lookup"): a values() path under another header ("city_a__slug");
    - a partial date's name ("start", "opened_on", from the model's PARTIAL_DATES):
      reduced ISO 8601 of the (date, precision) pair;
    - a column object (ManyColumn...), as it is.
    """
    partial = {spec.name: spec for spec in getattr(model, "partial_date_specs", list)()}
    built = []
    for spec in specs:
        if isinstance(spec, str) and spec in partial:
            date = partial[spec]
            built.append(PartialDateColumn(spec, date.date_field, date.precision_field))
        elif isinstance(spec, str):
            built.append(Column(spec, spec))
        elif isinstance(spec, tuple):
            built.append(Column(*spec))
        else:
            built.append(spec)
    return tuple(built)


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text.

    Only strings: numbers (a longitude of -33.8) are written as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def csv_text_response(rows: list[list], name: str) -> HttpResponse:
    """A small CSV answer (facets, stats) written at once, formula-safe like the exports."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[safe_cell(cell) for cell in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# -- streaming ------------------------------------------------------------------


def stream_csv(queryset: QuerySet, columns, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """Yield CSV text, a header line then one block per chunk of rows."""
    lookups = list(dict.fromkeys(["pk", *(lookup for c in columns for lookup in c.lookups)]))
    position = {lookup: i for i, lookup in enumerate(lookups)}
    cells = [column.cell(position, queryset.model) for column in columns]
    many = [column for column in columns if isinstance(column, ManyColumn)]
    rows = queryset.prefetch_related(None).values_list(*lookups).iterator(chunk_size=chunk_size)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    yield buffer.getvalue()

    for chunk in _chunks(rows, chunk_size):
        buffer.seek(0)
        buffer.truncate()
        ids = [row[0] for row in chunk]
        fetched = {column: column.fetch(ids) for column in many}
        writer.writerows([[safe_cell(cell(row, fetched)) for cell in cells] for row in chunk])
        yield buffer.getvalue()


def _number(value):
    return None if value is None else float(value)


def stream_geojson(
    queryset: QuerySet,
    *,
    properties: list[str],
    url_template: str,
    page_url_template: str,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[str]:
    """Yield a GeoJSON FeatureCollection of cities, one Point feature per city.

    A city without coordinates is still a feature, with a null geometry (allowed by
    RFC 7946), so the export has every row the list has. `url_template` and
    `page_url_template` hold "{slug}" so no URL is reversed per row.
    """
    lookups = list(dict.fromkeys(["slug", "latitude", "longitude", *properties]))
    rows = queryset.prefetch_related(None).values(*lookups).iterator(chunk_size=chunk_size)
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for chunk in _chunks(rows, chunk_size):
        parts = []
        for row in chunk:
            latitude, longitude = row["latitude"], row["longitude"]
            geometry = (
                {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
                if latitude is not None and longitude is not None
                else None
            )
            props = {name: row[name] for name in properties}
            props["url"] = url_template.replace("{slug}", row["slug"])
            props["page_url"] = page_url_template.replace("{slug}", row["slug"])
            feature = {
                "type": "Feature",
                "id": row["slug"],
                "geometry": geometry,
                "properties": props,
            }
            parts.append(separator + json.dumps(feature, ensure_ascii=False, default=str))
            separator = ","
        yield "".join(parts)
    yield "]}"


# -- renderers (content negotiation; single records) ----------------------------


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)


def _flatten(record: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(
                str(item.get("slug") or item.get("id") or item.get("url"))
                if isinstance(item, dict)
                else str(item)
                for item in value
            )
        else:
            flat[name] = value
    return flat


class CSVRenderer(BaseRenderer):
    """text/csv. Lists are streamed by the view; this renders one record (or a page)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        records = data if isinstance(data, list) else [data]
        flat = [_flatten(record) for record in records if isinstance(record, dict)]
        headers = list(dict.fromkeys(key for record in flat for key in record))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=headers)
        writer.writeheader()
        for record in flat:
            writer.writerow({key: _cell(value) for key, value in record.items()})
        return buffer.getvalue().encode(self.charset)


class GeoJSONRenderer(BaseRenderer):
    """application/geo+json. City lists are streamed by the view; this renders one city."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        latitude, longitude = data.get("latitude"), data.get("longitude")
        geometry = (
            {"type": "Point", "coordinates": [_number(longitude), _number(latitude)]}
            if latitude is not None and longitude is not None
            else None
        )
        properties = {k: v for k, v in data.items() if k not in {"latitude", "longitude"}}
        feature = {
            "type": "Feature",
            # A record without a slug (a partnership) is known by its id.
            "id": data.get("slug") or data.get("id"),
            "geometry": geometry,
            "properties": properties,
        }
        return json.dumps(feature, ensure_ascii=False, default=str).encode("utf-8")


class NDJSONRenderer(BaseRenderer):
    """application/x-ndjson: one JSON object per line. Lists are streamed by the view
    (api.base); this renders one record (or a page's results)."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        records = data if isinstance(data, list) else [data]
        return "".join(
            json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in records
        ).encode("utf-8")
