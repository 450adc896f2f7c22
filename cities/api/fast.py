"""Cities read as values() rows into the dicts CitySerializer and CitySummarySerializer
make (api.fastread; the same bytes, held by tests/test_api_representation_golden.py)."""

from __future__ import annotations

from django.utils import timezone

from api.fastread import coordinate, datetime_text, url_templates
from cities.models import City

from .serializers import CitySerializer, add_display_names_of, requested_language

#: The columns a city summary (a link's side, a partner) is made from.
SUMMARY_COLUMNS = (
    "slug",
    "name",
    "native_name",
    "native_name_language",
    "country",
    "latitude",
    "longitude",
)

#: The columns of a whole city: CitySerializer's fields but for its two URLs.
CITY_COLUMNS = tuple(name for name in CitySerializer.Meta.fields if name not in ("url", "page_url"))


def summary_columns(prefix: str) -> list[str]:
    """values() lookups of a city summary reached through `prefix` ("city_a__")."""
    return [prefix + column for column in SUMMARY_COLUMNS]


def summary_maker(request, prefix: str = ""):
    """A function values-row -> the city summary (CitySummarySerializer) of the city
    whose columns are `prefix`ed in the row; None when the city is missing."""
    urls = url_templates(request)
    api_url = urls.api("api:city-detail", lookup="slug")
    page_url = urls.page(City)
    language = requested_language({"request": request})
    k_slug, k_name, k_native, k_native_language, k_country, k_lat, k_lon = summary_columns(prefix)

    def make(row) -> dict:
        slug = row[k_slug]
        if slug is None:
            return None
        record = {
            "url": api_url(slug),
            "page_url": page_url(slug),
            "slug": slug,
            "name": row[k_name],
            "native_name": row[k_native],
            "country": row[k_country] or "",
            "latitude": coordinate(row[k_lat]),
            "longitude": coordinate(row[k_lon]),
        }
        if language:
            add_display_names_of(
                record,
                name=row[k_name],
                native_name=row[k_native],
                native_name_language=row[k_native_language],
                country=row[k_country] or "",
                language=language,
            )
        return record

    return make


def city_maker(request, *, extra=()):
    """A function values-row -> the whole city (CitySerializer), then `extra`:
    (name, column, default) for annotations (partnership_count)."""
    urls = url_templates(request)
    api_url = urls.api("api:city-detail", lookup="slug")
    page_url = urls.page(City)
    language = requested_language({"request": request})
    zone = timezone.get_current_timezone()

    def make(row) -> dict:
        slug = row["slug"]
        record = {
            "url": api_url(slug),
            "page_url": page_url(slug),
            "id": row["id"],
            "slug": slug,
            "name": row["name"],
            "native_name": row["native_name"],
            "native_name_language": row["native_name_language"],
            "native_name_direction": row["native_name_direction"],
            "country": row["country"] or "",
            "region": row["region"],
            "population": row["population"],
            "latitude": coordinate(row["latitude"]),
            "longitude": coordinate(row["longitude"]),
            "wikidata_id": row["wikidata_id"],
            "description": row["description"],
            "created_at": datetime_text(row["created_at"], zone),
            "updated_at": datetime_text(row["updated_at"], zone),
        }
        for name, column, default in extra:
            value = row.get(column, default)
            record[name] = default if value is None else value
        if language:
            add_display_names_of(
                record,
                name=row["name"],
                native_name=row["native_name"],
                native_name_language=row["native_name_language"],
                country=row["country"] or "",
                language=language,
            )
        return record

    return make
