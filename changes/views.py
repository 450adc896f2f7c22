"""The public "Recent changes" page and its Atom feeds."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City
from partnerships.models import Partnership
from public.selectors import country_choices

from . import log
from .forms import ChangeFilterForm

PER_PAGE = 50
FEED_ITEMS = 50


def change_list(request):
    form = ChangeFilterForm(request.GET or None, countries=country_choices())
    changes = None
    older_url = None
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    before = None
    if valid and data.get("before"):
        try:
            before = log.Position.decode(data["before"])
        except ValueError:
            form.add_error(None, _("That page of changes does not exist; start again."))
            valid = False
    if valid:
        scope = log.Scope(
            groups=[data["kind"]] if data.get("kind") else None,
            country=data.get("country", ""),
            import_rows=False,
            import_runs=True,
        )
        found = log.positions(scope, before=before, limit=PER_PAGE + 1)
        more = len(found) > PER_PAGE
        found = found[:PER_PAGE]
        changes = log.load(found, with_users=request.user.is_staff, with_data=False)
        if more:
            query = {name: data[name] for name in ("kind", "country") if data.get(name)}
            query["before"] = found[-1].encode()
            older_url = f"{reverse('changes:list')}?{urlencode(query)}"
    filtered = bool(form.is_bound and form.has_changed())
    return render(
        request,
        "changes/change_list.html",
        {
            "form": form,
            "changes": changes,
            "older_url": older_url,
            "filtered": filtered,
            "paged": bool(form.is_bound and form.data.get("before")),
            "show_users": request.user.is_staff,
        },
    )


class ChangeFeed(Feed):
    """Every change to the public record, newest first (Atom)."""

    feed_type = Atom1Feed
    title = gettext_lazy("City partnerships: recent changes")
    subtitle = gettext_lazy(
        "Every change to the public record: staff edits, accepted reader suggestions, "
        "deletions, merges and imports."
    )

    def link(self, obj=None):
        return reverse("changes:list")

    def scope(self, obj) -> log.Scope:
        return log.Scope(import_rows=False, import_runs=True)

    def items(self, obj=None):
        return log.load(log.positions(self.scope(obj), limit=FEED_ITEMS), with_data=False)

    def item_title(self, change):
        if change.import_run is not None:
            return _("Import: %(command)s") % {"command": change.import_run.command}
        return f"{change.kind_label} {change.operation_label}: {change.label}"

    def item_description(self, change):
        # Atom "html" content: the template escapes every value it is given.
        return render_to_string("changes/_feed_item.html", {"change": change})

    def item_link(self, change):
        return change.page_url or f"{reverse('changes:list')}#{change.anchor}"

    def item_guid(self, change):
        return f"urn:twinning:change:{change.type}:{change.position.hid}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when

    def item_updateddate(self, change):
        return change.when

    def item_author_name(self, change):
        return change.actor


class CityChangeFeed(ChangeFeed):
    """Follow one city: its own record and its links."""

    def get_object(self, request, slug):
        return get_object_or_404(City, slug=slug)

    def title(self, obj):
        return _("Changes to %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def scope(self, obj):
        return log.Scope(records=log.record_scope(obj))


class PartnershipChangeFeed(ChangeFeed):
    """Follow one link: its record, areas, sources and events."""

    def get_object(self, request, pk):
        return get_object_or_404(Partnership.objects.with_cities(), pk=pk)

    def title(self, obj):
        return _("Changes to %(link)s") % {"link": f"{obj.city_a.name} – {obj.city_b.name}"}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def scope(self, obj):
        return log.Scope(records=log.record_scope(obj))
