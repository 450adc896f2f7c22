"""Staff admin for places: the part of the city admin that knows only cities.

`partnerships.admin` extends `CityAdmin` with the links, officials and counts built
on a city and registers it, once: that admin belongs to the layer that knows both,
so the import runs one way (partnerships stands on cities).
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from common.admin import HistoryAdmin, QuerySetSearchMixin, country_filter


class CityAdmin(QuerySetSearchMixin, HistoryAdmin):
    """Searched by the city search rule (cities.models.CityQuerySet), or an exact
    Wikidata ID."""

    list_display = ("name", "native", "country", "region", "population", "wikidata_id")
    search_fields = ("name", "native_name", "slug", "wikidata_id")
    list_filter = (country_filter("country"),)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "slug"),
                    ("native_name", "native_name_language", "native_name_direction"),
                )
            },
        ),
        (
            "Place",
            {
                "fields": (
                    ("country", "region"),
                    "population",
                    ("latitude", "longitude"),
                    "wikidata_id",
                    "description",
                )
            },
        ),
        ("Record", {"fields": (("created_at", "updated_at"),), "classes": ("collapse",)}),
    )

    def extra_search_q(self, term: str) -> Q:
        return Q(wikidata_id__iexact=term)

    @admin.display(description="native name", ordering="native_name")
    def native(self, city):
        if not city.native_name:
            return "—"
        # Hebrew and Arabic names need their own direction to render in order.
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            city.native_name_language or "",
            city.native_name_direction,
            city.native_name,
        )
