"""Admin for the places the import could not tell apart: review, merge, or keep apart.

Merging calls the one merge service (partnerships.merging.merge_cities), as the API
and the importer would; this module only asks which city to keep.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from cities.models import CityName, CityRedirect, DuplicateStatus, PossibleDuplicate

from .admin_concurrency import OptimisticLockAdminMixin
from .merging import merge_cities
from .selectors import link_count


def _city_link(city) -> str:
    url = reverse("admin:cities_city_change", args=[city.pk])
    where = ", ".join(part for part in (city.region, str(city.country.name)) if part)
    return format_html('<a href="{}">{}</a> ({})', url, city.name, where)


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(OptimisticLockAdminMixin, admin.ModelAdmin):
    list_display = ("pair_a", "pair_b", "reason", "links_a", "links_b", "status")
    list_filter = ("status",)
    search_fields = ("city_a__name", "city_b__name")
    list_select_related = ("city_a", "city_b")
    readonly_fields = ("city_a", "city_b", "reason", "created_at")
    fields = ("city_a", "city_b", "reason", "status", "created_at")
    actions = ("merge_keep_a", "merge_keep_b", "mark_distinct")
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_a=link_count("city_a_id"), n_b=link_count("city_b_id"))
        )

    @admin.display(description="city A")
    def pair_a(self, obj):
        return _city_link(obj.city_a)

    @admin.display(description="city B")
    def pair_b(self, obj):
        return _city_link(obj.city_b)

    @admin.display(description="links of A", ordering="n_a")
    def links_a(self, obj):
        return obj.n_a

    @admin.display(description="links of B", ordering="n_b")
    def links_b(self, obj):
        return obj.n_b

    def _merge(self, request, queryset, keep_side: str):
        if not request.user.has_perm("cities.delete_city"):
            self.message_user(
                request, "Merging needs the permission to delete cities.", messages.ERROR
            )
            return
        done = 0
        for pair in queryset.filter(status=DuplicateStatus.OPEN).select_related("city_a", "city_b"):
            keep, merge = (
                (pair.city_a, pair.city_b) if keep_side == "a" else (pair.city_b, pair.city_a)
            )
            try:
                result = merge_cities(keep=keep, merge=merge, user=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            done += 1
            self.message_user(request, result.summary(), messages.SUCCESS)
        if not done:
            self.message_user(
                request, "Nothing merged: choose pairs still to review.", messages.WARNING
            )

    @admin.action(description="Merge: keep city A, merge city B into it")
    def merge_keep_a(self, request, queryset):
        self._merge(request, queryset, "a")

    @admin.action(description="Merge: keep city B, merge city A into it")
    def merge_keep_b(self, request, queryset):
        self._merge(request, queryset, "b")

    @admin.action(description="Different places: keep both")
    def mark_distinct(self, request, queryset):
        n = queryset.filter(status=DuplicateStatus.OPEN).update(status=DuplicateStatus.DISTINCT)
        self.message_user(request, f"{n} pair(s) marked as different places.", messages.SUCCESS)


@admin.register(CityRedirect)
class CityRedirectAdmin(OptimisticLockAdminMixin, admin.ModelAdmin):
    list_display = ("old_slug", "city", "reason", "created_at")
    search_fields = ("old_slug", "city__name")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)


class CityNameInline(admin.TabularInline):
    model = CityName
    extra = 0
    fields = ("language", "name", "source")


@admin.register(CityName)
class CityNameAdmin(OptimisticLockAdminMixin, admin.ModelAdmin):
    list_display = ("name", "language", "city", "source")
    list_filter = ("language", "source")
    search_fields = ("name", "city__name")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
