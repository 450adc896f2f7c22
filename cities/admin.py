"""Staff admin for places.

This module knows only cities. `partnerships.admin` extends `CityAdmin` with the
links, officials and counts built on a city, so the import runs one way:
partnerships stands on cities.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.html import format_html
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from .models import City


class HistoryAdmin(SimpleHistoryAdmin):
    """Base of every admin here: each edit is kept with who made it, and can be reverted."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert after checking only the *view*
        # permission; a viewer may look at old versions but must not restore one.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def country_filter(*paths: str, title: str = "country", parameter_name: str = "country"):
    """A list filter on one or several country fields (OR), offering only countries in use.

    `country_filter("city_a__country", "city_b__country")` matches a link
    whichever side the country is on.
    """

    class CountryFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            rows = model_admin.model._default_manager.order_by()
            used = rows.values_list(paths[0], flat=True).distinct()
            for path in paths[1:]:
                # UNION (not UNION ALL) de-duplicates: one query for every side.
                used = used.union(rows.values_list(path, flat=True).distinct())
            codes = {code for code in used if code}
            return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

        def queryset(self, request, queryset):
            code = self.value()
            if not code:
                return queryset
            code = code.upper()
            if code not in countries:
                raise IncorrectLookupParameters(f"{code!r} is not an ISO 3166-1 country code.")
            either = Q()
            for path in paths:
                either |= Q(**{path: code})
            return queryset.filter(either)

    CountryFilter.title = title
    CountryFilter.parameter_name = parameter_name
    return CountryFilter


class CityAdmin(HistoryAdmin):
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


admin.site.register(City, CityAdmin)
