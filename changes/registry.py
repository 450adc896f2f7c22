"""Which records the change log follows, and how each is named, linked and filtered.

One `Kind` per model with history in `cities` and `partnerships`. The `code` is a
stable number that breaks ties between changes made at the same instant (it is part
of every cursor: never renumber a kind, only add new ones). Through rows (the areas,
sources and participants of a record) are kinds of their own in the API, so a copy
kept in sync holds them too; on the page they read as changes to their parent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City
from partnerships import models as m


def _cities_of(code: str):
    return City.objects.filter(country=code).order_by().values("pk")


def _links_of(code: str):
    return m.Partnership.objects.in_country(code).order_by().values("pk")


def _offices_of(code: str):
    cities = _cities_of(code)
    return (
        m.LiaisonOffice.objects.filter(Q(home_city__in=cities) | Q(host_city__in=cities))
        .order_by()
        .values("pk")
    )


def _events_of(code: str):
    return (
        m.Event.objects.filter(Q(city__in=_cities_of(code)) | Q(partnership__in=_links_of(code)))
        .order_by()
        .values("pk")
    )


@dataclass(frozen=True)
class Kind:
    code: int
    name: str  # the API's "type"
    model: type
    #: The page's "kind of record" filter this kind belongs to.
    group: str
    #: For a through row: the attname of its parent, and the parent's kind name.
    parent: tuple[str, str] | None = None
    #: For a through row: the attname of what it adds to the parent (an area, a source).
    member: str | None = None
    #: API detail route and the historical row's attribute it is looked up by.
    api_view: str | None = None
    api_key: str = "id"
    #: Public page route and its key, when the record has a page.
    page_view: str | None = None
    page_key: str = "id"
    #: Historical-row fields naming the record: e.g. ("name",).
    label_fields: tuple[str, ...] = ("name",)
    #: Q on the historical rows for "has to do with this country" (None: never).
    country_q: Callable[[str], Q] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def history_model(self):
        return self.model.history.model

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


def _through(code, name, model, group, parent, member, parents_of):
    """A through row (an area, source or participant of its parent): it reads as a
    change to the parent, and has to do with a country when its parent does."""
    attname, parent_kind = parent
    return Kind(
        code,
        name,
        model,
        group,
        parent=parent,
        member=member,
        label_fields=(),
        country_q=lambda code: Q(**{f"{attname}__in": parents_of(code)}),
    )


KINDS: tuple[Kind, ...] = (
    Kind(
        1,
        "city",
        City,
        "city",
        api_view="api:city-detail",
        api_key="slug",
        page_view="public:city-detail",
        page_key="slug",
        country_q=lambda code: Q(country=code),
    ),
    Kind(
        2,
        "partnership",
        m.Partnership,
        "partnership",
        api_view="api:partnership-detail",
        page_view="public:partnership-detail",
        label_fields=(),
        country_q=lambda code: (
            Q(city_a_id__in=_cities_of(code)) | Q(city_b_id__in=_cities_of(code))
        ),
    ),
    _through(
        3,
        "partnership-area",
        m.PartnershipArea,
        "partnership",
        ("partnership_id", "partnership"),
        "area_id",
        _links_of,
    ),
    _through(
        4,
        "partnership-source",
        m.PartnershipSource,
        "partnership",
        ("partnership_id", "partnership"),
        "source_id",
        _links_of,
    ),
    Kind(
        5,
        "liaison-office",
        m.LiaisonOffice,
        "office",
        api_view="api:liaison-office-detail",
        api_key="slug",
        page_view="public:office-detail",
        page_key="slug",
        country_q=lambda code: (
            Q(home_city_id__in=_cities_of(code)) | Q(host_city_id__in=_cities_of(code))
        ),
    ),
    _through(
        6,
        "liaison-office-focus-area",
        m.LiaisonOfficeFocusArea,
        "office",
        ("liaison_office_id", "liaison-office"),
        "area_id",
        _offices_of,
    ),
    _through(
        7,
        "liaison-office-source",
        m.LiaisonOfficeSource,
        "office",
        ("liaison_office_id", "liaison-office"),
        "source_id",
        _offices_of,
    ),
    Kind(
        8,
        "official",
        m.Official,
        "official",
        api_view="api:official-detail",
        api_key="slug",
        page_view="public:official-detail",
        page_key="slug",
        country_q=lambda code: Q(city_id__in=_cities_of(code)),
    ),
    Kind(
        9,
        "organization",
        m.Organization,
        "organization",
        api_view="api:organization-detail",
        api_key="slug",
        country_q=lambda code: Q(city_id__in=_cities_of(code)),
    ),
    Kind(
        10,
        "organization-figure",
        m.OrganizationFigure,
        "organization",
        parent=("organization_id", "organization"),
        label_fields=("metric",),
        country_q=lambda code: Q(
            organization_id__in=m.Organization.objects.filter(city__in=_cities_of(code))
            .order_by()
            .values("pk")
        ),
    ),
    Kind(
        11,
        "event",
        m.Event,
        "event",
        api_view="api:event-detail",
        label_fields=("title",),
        country_q=lambda code: (
            Q(city_id__in=_cities_of(code)) | Q(partnership_id__in=_links_of(code))
        ),
    ),
    _through(
        12,
        "event-participant",
        m.EventParticipant,
        "event",
        ("event_id", "event"),
        "official_id",
        _events_of,
    ),
    _through(
        13, "event-source", m.EventSource, "event", ("event_id", "event"), "source_id", _events_of
    ),
    Kind(
        14,
        "quote",
        m.Quote,
        "event",
        label_fields=(),
        country_q=lambda code: Q(
            official_id__in=m.Official.objects.filter(city__in=_cities_of(code))
            .order_by()
            .values("pk")
        ),
    ),
    Kind(
        15,
        "source",
        m.Source,
        "source",
        api_view="api:source-detail",
        label_fields=("publisher", "title"),
    ),
    Kind(
        16,
        "area",
        m.CooperationArea,
        "area",
        api_view="api:area-detail",
        api_key="slug",
    ),
)

#: Not a historical table: an import run, shown as one entry on the page and feeds.
IMPORT_RUN_CODE = 100

BY_NAME = {kind.name: kind for kind in KINDS}
BY_CODE = {kind.code: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}

#: The page's "kind of record" filter: group -> label.
GROUPS = {
    "city": _("cities"),
    "partnership": _("partnerships"),
    "office": _("liaison offices"),
    "official": _("officials"),
    "organization": _("organisations"),
    "event": _("events and quotes"),
    "source": _("sources"),
    "area": _("areas of cooperation"),
}
