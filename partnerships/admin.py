"""Staff admin for partnerships and the records that document them.

Every admin keeps edit history (see `common.admin.HistoryAdmin`); each partial date
of a model has a list column and a "reads" line made from its PARTIAL_DATES. Changelists
fetch what their columns show in the one query Django makes for the page
(`list_select_related`, annotations), so a page costs the same with 5 rows or
100. Fields that point at cities, officials, organisations and the other large
tables use autocomplete widgets, never a <select> of every row.

The many-to-many fields use explicit through models (so a cited area, source or
official cannot be deleted from under a record); they are edited as inlines on
their owner, and registered on their own only to make their history reachable.
"""

import re

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from cities import admin as cities_admin
from cities.models import City
from common.admin import (
    HistoryAdmin,
    PartialDateColumnsMixin,
    QuerySetSearchMixin,
    country_filter,
)

from .admin_concurrency import OptimisticLockAdminMixin
from .admin_filters import EitherCityFilter, decade_filter
from .models import (
    CooperationArea,
    Event,
    EventParticipant,
    EventSource,
    LiaisonOffice,
    LiaisonOfficeFocusArea,
    LiaisonOfficeSource,
    Official,
    Organization,
    OrganizationFigure,
    Partnership,
    PartnershipArea,
    PartnershipSource,
    Quote,
    Source,
)
from .selectors import link_count


class RecordAdmin(OptimisticLockAdminMixin, PartialDateColumnsMixin, HistoryAdmin):
    """Base for this app: a partnership shown in a form costs one query, not three."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership:
            # Its label names both cities; fetch them with it.
            kwargs.setdefault("queryset", Partnership.objects.with_cities())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecordInline:
    """Shared inline settings: no empty rows unless asked, a link to the full form."""

    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership:
            kwargs.setdefault("queryset", Partnership.objects.with_cities())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- inlines -----------------------------------------------------------------


class PartnershipAreaInline(RecordInline, admin.TabularInline):
    model = PartnershipArea
    autocomplete_fields = ("area",)
    show_change_link = False
    verbose_name = "area of cooperation"
    verbose_name_plural = "areas of cooperation"


class PartnershipSourceInline(RecordInline, admin.TabularInline):
    model = PartnershipSource
    autocomplete_fields = ("source",)
    show_change_link = False
    verbose_name = "source"
    verbose_name_plural = "sources"


class LiaisonOfficeInline(RecordInline, admin.StackedInline):
    # Stacked: three autocompletes side by side do not fit a tabular row.
    model = LiaisonOffice
    fk_name = "partnership"
    fields = (("name", "slug"), ("organization", "status"), ("home_city", "host_city"))
    autocomplete_fields = ("organization", "home_city", "host_city")
    prepopulated_fields = {"slug": ("name",)}
    verbose_name_plural = "liaison offices serving this link"


class PartnershipEventInline(RecordInline, admin.TabularInline):
    model = Event
    fk_name = "partnership"
    fields = ("date", "date_precision", "kind", "title", "city")
    autocomplete_fields = ("city",)
    verbose_name_plural = "events of this link"


class FocusAreaInline(RecordInline, admin.TabularInline):
    model = LiaisonOfficeFocusArea
    autocomplete_fields = ("area",)
    show_change_link = False
    verbose_name = "focus area"
    verbose_name_plural = "focus areas"


class LiaisonOfficeSourceInline(RecordInline, admin.TabularInline):
    model = LiaisonOfficeSource
    autocomplete_fields = ("source",)
    show_change_link = False
    verbose_name = "source"
    verbose_name_plural = "sources"


class OfficeEventInline(RecordInline, admin.TabularInline):
    model = Event
    fk_name = "liaison_office"
    fields = ("date", "date_precision", "kind", "title", "city")
    autocomplete_fields = ("city",)
    verbose_name_plural = "events of this office"


class ParticipantInline(RecordInline, admin.TabularInline):
    model = EventParticipant
    autocomplete_fields = ("official",)
    show_change_link = False
    verbose_name = "participant"
    verbose_name_plural = "participants"


class EventSourceInline(RecordInline, admin.TabularInline):
    model = EventSource
    autocomplete_fields = ("source",)
    show_change_link = False
    verbose_name = "source"
    verbose_name_plural = "sources"


class QuoteInline(RecordInline, admin.StackedInline):
    model = Quote
    fields = (("official", "source"), "text")
    autocomplete_fields = ("official", "source")


class OfficialInline(RecordInline, admin.TabularInline):
    model = Official
    fk_name = "city"
    # The term dates and their precisions are on the official's own page (the link).
    fields = ("name", "slug", "title", "organization")
    autocomplete_fields = ("organization",)
    prepopulated_fields = {"slug": ("name",)}


class OrganizationFigureInline(RecordInline, admin.TabularInline):
    model = OrganizationFigure
    fields = ("metric", "year", "comparator", "value", "unit", "as_reported", "source")
    autocomplete_fields = ("source",)
    verbose_name_plural = "figures"


# --- cities, seen from the partnerships they take part in --------------------


@admin.register(City)
class CityAdmin(OptimisticLockAdminMixin, cities_admin.CityAdmin):
    """The place admin of `cities`, plus its partnerships and officials (registered here,
    once: only this layer knows both)."""

    list_display = (*cities_admin.CityAdmin.list_display, "partnerships")
    readonly_fields = (*cities_admin.CityAdmin.readonly_fields, "partnerships")
    inlines = (OfficialInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partnership_count=link_count())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, ("Links", {"fields": ("partnerships",)}))

    @admin.display(description="partnerships", ordering="partnership_count")
    def partnerships(self, city):
        if city.pk is None:
            return "—"
        count = getattr(city, "partnership_count", None)
        if count is None:
            count = Partnership.objects.involving(city).count()
        url = reverse("admin:partnerships_partnership_changelist") + f"?city={city.pk}"
        label = "1 partnership" if count == 1 else f"{count} partnerships"
        return format_html('<a href="{}">{}</a>', url, label)


# --- partnerships ------------------------------------------------------------


@admin.register(Partnership)
class PartnershipAdmin(QuerySetSearchMixin, RecordAdmin):
    """Searched by the link search rule: either city (the city rule) or the description."""

    list_display = ("city_a", "city_b", "kind", "status", "start", "end", "one_sided")
    list_display_links = ("city_a", "city_b")
    list_filter = (
        EitherCityFilter,
        country_filter("country_a", "country_b"),
        "kind",
        "status",
        decade_filter("start_date", "start", "start"),
        "one_sided",
    )
    search_fields = (
        "city_a__name",
        "city_b__name",
        "city_a__native_name",
        "city_b__native_name",
        "=city_a__slug",
        "=city_b__slug",
    )
    autocomplete_fields = ("city_a", "city_b")
    readonly_fields = ("start_shown", "end_shown", "created_at", "updated_at")
    inlines = (
        PartnershipAreaInline,
        PartnershipSourceInline,
        LiaisonOfficeInline,
        PartnershipEventInline,
    )
    fieldsets = (
        (
            None,
            {
                "fields": (("city_a", "city_b"), ("kind", "status"), "one_sided"),
                "description": "Enter the two cities in any order; the link is stored once, "
                "with the city created first as city A.",
            },
        ),
        (
            "Dates",
            {
                "fields": (
                    ("start_date", "start_precision"),
                    ("start_is_approximate", "start_shown"),
                    ("end_date", "end_precision", "end_shown"),
                ),
                "description": "Type each date as precisely as the source gives it: "
                "1998, 1998-06 or 1998-06-15; it is stored and shown at that precision.",
            },
        ),
        (None, {"fields": ("description",)}),
        ("Record", {"fields": (("created_at", "updated_at"),), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        # Both the list and every label (autocomplete, inlines) name the two cities.
        return super().get_queryset(request).with_cities()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class PairForm(form):
            def _post_clean(self):
                super()._post_clean()
                # The model names the duplicate as "(#10886)": make that a link to it.
                errors = self._errors.get("city_b") if self._errors else None
                if errors:
                    for index, message in enumerate(errors):
                        errors[index] = _link_record_numbers(str(message))

        PairForm.__name__ = form.__name__
        return PairForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        others = (
            Partnership.objects.filter(city_a_id=obj.city_a_id, city_b_id=obj.city_b_id)
            .exclude(pk=obj.pk)
            .order_by("pk")
        )
        if not change and others:
            # Several kinds per pair are allowed (twin and friendship); the pages show
            # the pair as one partner and count it once. Say so, and link the others.
            messages.warning(
                request,
                format_html(
                    "{} and {} were already linked: {}. The public pages show them as one "
                    "partner with both kinds.",
                    obj.city_a.name,
                    obj.city_b.name,
                    format_html_join(
                        ", ",
                        '<a href="{}">#{} ({})</a>',
                        (
                            (
                                reverse("admin:partnerships_partnership_change", args=[o.pk]),
                                o.pk,
                                o.get_kind_display(),
                            )
                            for o in others
                        ),
                    ),
                ),
            )


def _link_record_numbers(message: str):
    """ "… link (#12)" with #12 a link to that partnership's change form."""
    parts = re.split(r"#(\d+)", message)
    if len(parts) == 1:
        return message
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            url = reverse("admin:partnerships_partnership_change", args=[int(part)])
            pieces.append(format_html('<a href="{}">#{}</a>', url, part))
        else:
            pieces.append(format_html("{}", part))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


@admin.register(LiaisonOffice)
class LiaisonOfficeAdmin(RecordAdmin):
    list_display = (
        "name",
        "organization",
        "home_city",
        "host_city",
        "status",
        "announced_on",
        "opened_on",
        "network_ordinal",
    )
    list_filter = (
        "status",
        country_filter("host_city__country", title="host country", parameter_name="host_country"),
        country_filter("home_city__country", title="home country", parameter_name="home_country"),
        decade_filter("announced_on", "announced", "announced"),
    )
    search_fields = (
        "name",
        "slug",
        "organization__name",
        "organization__short_name",
        "home_city__name",
        "host_city__name",
    )
    autocomplete_fields = ("organization", "home_city", "host_city", "partnership")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("announced_on_shown", "opened_on_shown", "closed_on_shown")
    inlines = (FocusAreaInline, LiaisonOfficeSourceInline, OfficeEventInline)
    fieldsets = (
        (None, {"fields": (("name", "slug"), "organization", "network_ordinal")}),
        ("Where", {"fields": (("home_city", "host_city"), "partnership")}),
        (
            "Status and dates",
            {
                "fields": (
                    "status",
                    ("announced_on", "announced_precision", "announced_on_shown"),
                    ("opened_on", "opened_precision", "opened_on_shown"),
                    ("closed_on", "closed_precision", "closed_on_shown"),
                )
            },
        ),
        (None, {"fields": ("purpose", "description")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_related()


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("date", "kind", "title", "city", "partnership", "liaison_office")
    list_display_links = ("date", "title")
    list_select_related = (
        "city",
        "partnership__city_a",
        "partnership__city_b",
        "liaison_office",
    )
    list_filter = (
        "kind",
        decade_filter("date", "year", "year"),
        country_filter("city__country", title="country (where)"),
    )
    search_fields = ("title", "summary", "city__name")
    autocomplete_fields = ("city", "partnership", "liaison_office")
    readonly_fields = ("date_shown",)
    inlines = (ParticipantInline, EventSourceInline, QuoteInline)
    fieldsets = (
        (
            None,
            {"fields": (("date", "date_precision", "date_shown"), ("kind", "title"), "summary")},
        ),
        ("About", {"fields": ("city", "partnership", "liaison_office")}),
    )


@admin.register(Quote)
class QuoteAdmin(RecordAdmin):
    list_display = ("excerpt", "official", "event", "source")
    search_fields = ("text", "official__name")
    list_filter = (country_filter("official__city__country", title="speaker's country"),)
    autocomplete_fields = ("official", "event", "source")

    def get_queryset(self, request):
        # A quote's label names its speaker, so autocomplete needs the official too.
        # (A changelist ignores list_select_related once the queryset has a
        # select_related, so this names everything the list shows.)
        return super().get_queryset(request).select_related("official", "event", "source")

    @admin.display(description="text", ordering="text")
    def excerpt(self, quote):
        return Truncator(quote.text).chars(90)


@admin.register(Official)
class OfficialAdmin(RecordAdmin):
    list_display = ("name", "title", "city", "organization", "term")
    list_select_related = ("city", "organization")
    list_filter = (country_filter("city__country"), "title")
    search_fields = ("name", "slug", "title", "city__name")
    autocomplete_fields = ("city", "organization")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": (("name", "slug"), "title", ("city", "organization"))}),
        (
            "Term",
            {
                "fields": (
                    ("term_start", "term_start_precision"),
                    ("term_end", "term_end_precision"),
                )
            },
        ),
    )

    @admin.display(description="term", ordering="term_start")
    def term(self, official):
        start, end = official.partial_date("term_start"), official.partial_date("term_end")
        if start is None and end is None:
            return "—"
        return f"{start.display() if start else '?'} – {end.display() if end else ''}".strip()


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ("name", "short_name", "kind", "city", "website")
    list_select_related = ("city",)
    list_filter = ("kind", country_filter("city__country"))
    search_fields = ("name", "short_name", "nickname", "slug")
    autocomplete_fields = ("city",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OrganizationFigureInline,)
    fieldsets = (
        (None, {"fields": (("name", "slug"), ("short_name", "nickname"), ("kind", "city"))}),
        (None, {"fields": ("website", "description")}),
    )


@admin.register(OrganizationFigure)
class OrganizationFigureAdmin(RecordAdmin):
    list_display = ("organization", "metric", "year", "figure", "source")
    list_filter = ("year", "unit")
    search_fields = ("metric", "organization__name", "organization__short_name", "as_reported")
    autocomplete_fields = ("organization", "source")
    fieldsets = (
        (None, {"fields": ("organization", ("metric", "year"))}),
        ("Value", {"fields": (("comparator", "value", "unit"), "as_reported", "source")}),
    )

    def get_queryset(self, request):
        # Its label names the organisation; the list also shows the source.
        return super().get_queryset(request).select_related("organization", "source")

    @admin.display(description="figure", ordering="value")
    def figure(self, row):
        comparator = "" if row.comparator == row.Comparator.EXACT else f"{row.comparator} "
        return f"{comparator}{row.value:,} {row.unit}"


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("publisher", "title", "published_on", "link")
    list_filter = ("publisher",)
    search_fields = ("publisher", "title", "url")
    date_hierarchy = "published_on"

    @admin.display(description="URL")
    def link(self, source):
        if not source.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.url)


@admin.register(CooperationArea)
class CooperationAreaAdmin(RecordAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


# --- the through rows, on their own: history only ----------------------------


class ThroughRowAdmin(RecordAdmin):
    """A row that links two records; edited as an inline on its owner.

    Registered so that its history (who added or removed an area, a source, a
    participant) has a page, but kept off the admin index, where it would only
    repeat its owner's inline.
    """

    def get_model_perms(self, request):
        return {}


@admin.register(PartnershipArea)
class PartnershipAreaAdmin(ThroughRowAdmin):
    list_display = ("partnership", "area")
    list_select_related = ("partnership__city_a", "partnership__city_b", "area")
    autocomplete_fields = ("partnership", "area")


@admin.register(PartnershipSource)
class PartnershipSourceAdmin(ThroughRowAdmin):
    list_display = ("partnership", "source")
    list_select_related = ("partnership__city_a", "partnership__city_b", "source")
    autocomplete_fields = ("partnership", "source")


@admin.register(LiaisonOfficeFocusArea)
class LiaisonOfficeFocusAreaAdmin(ThroughRowAdmin):
    list_display = ("liaison_office", "area")
    list_select_related = ("liaison_office", "area")
    autocomplete_fields = ("liaison_office", "area")


@admin.register(LiaisonOfficeSource)
class LiaisonOfficeSourceAdmin(ThroughRowAdmin):
    list_display = ("liaison_office", "source")
    list_select_related = ("liaison_office", "source")
    autocomplete_fields = ("liaison_office", "source")


@admin.register(EventParticipant)
class EventParticipantAdmin(ThroughRowAdmin):
    list_display = ("event", "official")
    list_select_related = ("event", "official")
    autocomplete_fields = ("event", "official")


@admin.register(EventSource)
class EventSourceAdmin(ThroughRowAdmin):
    list_display = ("event", "source")
    list_select_related = ("event", "source")
    autocomplete_fields = ("event", "source")


from . import admin_merge  # noqa: E402,F401  (possible duplicates, merging, redirects)
