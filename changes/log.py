"""The change log: every historical row of every followed model, in one order.

Reads only what simple_history already writes (plus `ImportRun`). A page of changes
costs a fixed number of queries whatever its length:

1. one UNION ALL over the historical tables (and import runs): the page's positions
   (time, kind code, history id), ordered and limited in the database;
2. per kind of record on the page, one query for its historical rows (each annotated
   with the id of the version before it) and, when some are edits, one for those
   earlier versions;
3. per model the page names (cities of a link, the area a link gained, ...), one
   `in_bulk`; and, for staff readers, one for the users who made the changes.

A position is (history_date, kind code, history_id): a total order, so a cursor never
skips nor repeats a change, also between changes made in the same instant.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_countries.fields import Country

from cities.models import City
from common.dates import PartialDate
from partnerships import models as m

from .models import ImportRun
from .registry import BY_CODE, BY_NAME, GROUPS, IMPORT_RUN_CODE, KINDS, Kind

IMPORT_REASON_PREFIX = "Imported by"
MERGE_REASON_PREFIX = "Merged "
#: Fields every edit touches; never listed as "changed" (still in the API's data).
QUIET_FIELDS = frozenset({"id", "updated_at", "created_at"})
DISPLAY_LIMIT = 300


# ---------------------------------------------------------------- positions and cursors


@dataclass(frozen=True, order=True)
class Position:
    when: dt.datetime
    code: int
    hid: int

    def encode(self) -> str:
        raw = f"{self.when.isoformat()}|{self.code}|{self.hid}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Position:
        try:
            padded = text + "=" * (-len(text) % 4)
            when, code, hid = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
            moment = dt.datetime.fromisoformat(when)
            if moment.tzinfo is None:
                raise ValueError
            position = cls(moment.astimezone(dt.UTC), int(code), int(hid))
        except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
            raise ValueError("not a cursor") from None
        if not (0 <= position.code <= IMPORT_RUN_CODE and 0 <= position.hid < 2**31):
            raise ValueError("not a cursor")
        return position

    @classmethod
    def at(cls, moment: dt.datetime) -> Position:
        """Just before everything at `moment` (a 'since' time is inclusive)."""
        return cls(moment, 0, 0)


def parse_since(text: str) -> Position:
    """A cursor from a previous answer, or an ISO 8601 time or date (UTC if no zone)."""
    text = (text or "").strip()
    moment = None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is not None:
            moment = dt.datetime.combine(day, dt.time.min)
    if moment is not None:
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=dt.UTC)
        try:
            return Position.at(moment.astimezone(dt.UTC))
        except OverflowError:
            raise ValueError("out of range") from None
    return Position.decode(text)


def _beyond(code: int, pos: Position, date_field: str, id_field: str, *, after: bool) -> Q:
    """Rows of one branch (all of kind `code`) after (or before) `pos` in the order."""
    gt, ge = ("gt", "gte") if after else ("lt", "lte")
    if (code > pos.code) if after else (code < pos.code):
        return Q(**{f"{date_field}__{ge}": pos.when})
    if code == pos.code:
        return Q(**{f"{date_field}__{gt}": pos.when}) | Q(
            **{date_field: pos.when, f"{id_field}__{gt}": pos.hid}
        )
    return Q(**{f"{date_field}__{gt}": pos.when})


# ---------------------------------------------------------------- the page's positions


@dataclass
class Scope:
    """What part of the log to read."""

    #: Kind names to include (None: all).
    kinds: Iterable[str] | None = None
    #: Page groups to include (registry.GROUPS keys; None: all).
    groups: Iterable[str] | None = None
    country: str = ""
    #: Per kind name, a Q on its historical rows (a record's own feed); others excluded.
    records: dict[str, Q] | None = None
    #: Historical rows written by an import (the API lists them, the page does not).
    import_rows: bool = True
    #: Import runs as entries of their own (the page and feeds).
    import_runs: bool = False
    #: Nothing newer than this (the API's settling time).
    until: dt.datetime | None = None

    def included_kinds(self) -> list[Kind]:
        chosen = []
        kinds = set(self.kinds) if self.kinds is not None else None
        groups = set(self.groups) if self.groups is not None else None
        for kind in KINDS:
            if kinds is not None and kind.name not in kinds:
                continue
            if groups is not None and kind.group not in groups:
                continue
            if self.country and kind.country_q is None:
                continue
            if self.records is not None and kind.name not in self.records:
                continue
            chosen.append(kind)
        return chosen


def positions(
    scope: Scope, *, after: Position | None = None, before: Position | None = None, limit: int
) -> list[Position]:
    """Up to `limit` positions: oldest first after `after`, or newest first (before `before`,
    or from the newest when neither is given)."""
    ascending = after is not None
    branches = []
    for kind in scope.included_kinds():
        rows = kind.history_model._default_manager.order_by()
        if scope.country:
            rows = rows.filter(kind.country_q(scope.country))
        if scope.records is not None:
            rows = rows.filter(scope.records[kind.name])
        if not scope.import_rows:
            rows = rows.exclude(history_change_reason__startswith=IMPORT_REASON_PREFIX)
        if scope.until is not None:
            rows = rows.filter(history_date__lte=scope.until)
        if after is not None:
            rows = rows.filter(_beyond(kind.code, after, "history_date", "history_id", after=True))
        elif before is not None:
            rows = rows.filter(
                _beyond(kind.code, before, "history_date", "history_id", after=False)
            )
        branches.append(
            rows.annotate(
                d=F("history_date"), k=Value(kind.code, IntegerField()), h=F("history_id")
            ).values_list("d", "k", "h")
        )
    if scope.import_runs and not scope.country and scope.records is None and scope.kinds is None:
        runs = ImportRun.objects.order_by()
        if scope.until is not None:
            runs = runs.filter(finished_at__lte=scope.until)
        if after is not None:
            runs = runs.filter(_beyond(IMPORT_RUN_CODE, after, "finished_at", "id", after=True))
        elif before is not None:
            runs = runs.filter(_beyond(IMPORT_RUN_CODE, before, "finished_at", "id", after=False))
        branches.append(
            runs.annotate(
                d=F("finished_at"), k=Value(IMPORT_RUN_CODE, IntegerField()), h=F("id")
            ).values_list("d", "k", "h")
        )
    if not branches:
        return []
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    order = ("d", "k", "h") if ascending else ("-d", "-k", "-h")
    return [Position(d, k, h) for d, k, h in combined.order_by(*order)[:limit]]


# ---------------------------------------------------------------- the changes themselves


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class Change:
    position: Position
    kind: Kind | None
    operation: str
    when: dt.datetime
    reason: str = ""
    actor: str = "staff"
    user_id: int | None = None
    user_name: str = ""
    object_id: int | None = None
    label: str = ""
    page_url: str | None = None
    api_url: str | None = None
    changed_fields: list[str] = field(default_factory=list)
    field_changes: list[FieldChange] = field(default_factory=list)
    data: dict | None = None
    import_run: ImportRun | None = None
    #: For a through row: what it adds to or removes from its parent ("area: Technology").
    member: str = ""
    # internal
    row: object = None
    prev: object = None

    @property
    def cursor(self) -> str:
        return self.position.encode()

    @property
    def type(self) -> str:
        return self.kind.name if self.kind else "import-run"

    @property
    def anchor(self) -> str:
        return f"change-{self.position.code}-{self.position.hid}"

    @property
    def operation_label(self) -> str:
        return OPERATION_LABELS.get(self.operation, self.operation)

    @property
    def kind_label(self) -> str:
        return self.kind.verbose_name if self.kind else _("import")


OPERATION_LABELS = {
    "created": _("created"),
    "changed": _("changed"),
    "deleted": _("deleted"),
    "merged": _("merged"),
    "imported": _("imported"),
}


def _tracked(kind: Kind):
    return kind.history_model.tracked_fields


def _partial_pairs(kind: Kind) -> dict[str, str]:
    return dict(getattr(kind.model, "PARTIAL_DATES", {}))


def json_value(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Country):
        return value.code or ""
    return value


def snapshot(kind: Kind, row) -> dict:
    """The record's stored fields, by attname, as JSON values (FKs as ids)."""
    return {f.attname: json_value(getattr(row, f.attname)) for f in _tracked(kind)}


def _operation(row) -> str:
    reason = row.history_change_reason or ""
    if reason.startswith(MERGE_REASON_PREFIX):
        return "merged"
    return {"+": "created", "~": "changed", "-": "deleted"}[row.history_type]


def _raw_changes(kind: Kind, row, prev) -> list[str]:
    names = []
    for f in _tracked(kind):
        new = getattr(row, f.attname)
        old = getattr(prev, f.attname) if prev is not None else None
        if prev is None and new in (None, ""):
            continue
        if prev is not None and old == new:
            continue
        if f.attname == "id":
            continue
        names.append(f.attname)
    return names


class _Labels:
    """Names of the records a page mentions, fetched once per model."""

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.found: dict[type, dict] = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def fetch(self):
        for model, pks in self.wanted.items():
            manager = model._default_manager
            if model is m.Partnership:
                manager = m.Partnership.objects.with_cities()
            self.found[model] = manager.in_bulk(list(pks))

    def get(self, model, pk):
        return self.found.get(model, {}).get(pk)

    def name(self, model, pk) -> str:
        obj = self.get(model, pk)
        if obj is None:
            return f"{model._meta.verbose_name} #{pk}"
        if model is m.Partnership:
            return f"{obj.city_a.name} – {obj.city_b.name}"
        if model is City:
            return f"{obj.name} ({obj.country.code})" if obj.country else obj.name
        if model is m.Official:
            return obj.name
        return str(obj)


def _display(f: models.Field, value, labels: _Labels) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return labels.name(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Country):
        return f"{value.name} ({value.code})"
    text = json_value(value)
    text = str(text)
    return text if len(text) <= DISPLAY_LIMIT else text[: DISPLAY_LIMIT - 1] + "…"


def _field_changes(kind: Kind, row, prev, labels: _Labels) -> list[FieldChange]:
    pairs = _partial_pairs(kind)
    precision_fields = set(pairs.values())
    out = []
    for f in _tracked(kind):
        if f.attname in QUIET_FIELDS or f.attname in precision_fields:
            continue
        if f.attname in pairs:
            new_pd = PartialDate.of(getattr(row, f.attname), getattr(row, pairs[f.attname]))
            old_pd = (
                PartialDate.of(getattr(prev, f.attname), getattr(prev, pairs[f.attname]))
                if prev is not None
                else None
            )
            if new_pd == old_pd:
                continue
            old = old_pd.display() if old_pd else "—"
            new = new_pd.display() if new_pd else "—"
        else:
            new_value = getattr(row, f.attname)
            old_value = getattr(prev, f.attname) if prev is not None else None
            if prev is None and new_value in (None, ""):
                continue
            if prev is not None and old_value == new_value:
                continue
            old = _display(f, old_value, labels) if prev is not None else "—"
            new = _display(f, new_value, labels)
        out.append(FieldChange(f.attname, str(f.verbose_name), old, new))
    return out


def _wanted_labels(kind: Kind, row, prev, labels: _Labels) -> None:
    for f in _tracked(kind):
        if not f.is_relation:
            continue
        new = getattr(row, f.attname)
        old = getattr(prev, f.attname) if prev is not None else None
        if row.history_type == "+" or old != new or kind.parent or kind.model is m.Partnership:
            labels.want(f.related_model, new)
            if prev is not None:
                labels.want(f.related_model, old)


def _record_label(kind: Kind, row, labels: _Labels) -> str:
    if kind.model is m.Partnership:
        return f"{labels.name(City, row.city_a_id)} – {labels.name(City, row.city_b_id)}"
    if kind.parent:
        parent_model = BY_NAME[kind.parent[1]].model
        return labels.name(parent_model, getattr(row, kind.parent[0]))
    if kind.model is m.Quote:
        return _("quote of %(name)s") % {"name": labels.name(m.Official, row.official_id)}
    parts = [str(getattr(row, name) or "") for name in kind.label_fields]
    return ": ".join(part for part in parts if part) or f"{kind.verbose_name} #{row.id}"


def _url(view: str | None, key: str, value) -> str | None:
    if not view or value in (None, ""):
        return None
    try:
        return reverse(view, kwargs={"slug" if key == "slug" else "pk": value})
    except NoReverseMatch:
        return None


def _page_url(kind: Kind, row, labels: _Labels) -> str | None:
    if row.history_type == "-":
        return None
    if kind.page_view:
        return _url(kind.page_view, kind.page_key, getattr(row, kind.page_key))
    if kind.parent:
        parent = BY_NAME[kind.parent[1]]
        parent_id = getattr(row, kind.parent[0])
        obj = labels.get(parent.model, parent_id)
        if obj is not None and parent.page_view:
            return _url(parent.page_view, parent.page_key, getattr(obj, parent.page_key))
    if kind.model is m.Event and row.partnership_id:
        return _url("public:partnership-detail", "id", row.partnership_id)
    return None


def load(
    found: list[Position], *, with_users: bool = False, with_data: bool = True
) -> list[Change]:
    """The changes at these positions, in the same order, ready to show."""
    by_code: dict[int, list[int]] = defaultdict(list)
    for pos in found:
        by_code[pos.code].append(pos.hid)

    rows: dict[tuple[int, int], object] = {}
    prevs: dict[tuple[int, int], object] = {}
    runs: dict[int, ImportRun] = {}
    for code, hids in by_code.items():
        if code == IMPORT_RUN_CODE:
            runs = ImportRun.objects.in_bulk(hids)
            continue
        hist = BY_CODE[code].history_model
        manager = hist._default_manager
        earlier = (
            manager.filter(id=OuterRef("id"))
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        fetched = list(
            manager.filter(history_id__in=hids).annotate(prev_hid=Subquery(earlier)).order_by()
        )
        for row in fetched:
            rows[(code, row.history_id)] = row
        prev_ids = [row.prev_hid for row in fetched if row.history_type == "~" and row.prev_hid]
        if prev_ids:
            by_prev = manager.in_bulk(prev_ids)
            for row in fetched:
                if row.history_type == "~" and row.prev_hid in by_prev:
                    prevs[(code, row.history_id)] = by_prev[row.prev_hid]

    labels = _Labels()
    for (code, hid), row in rows.items():
        kind = BY_CODE[code]
        _wanted_labels(kind, row, prevs.get((code, hid)), labels)
    labels.fetch()

    users = {}
    if with_users:
        user_ids = {row.history_user_id for row in rows.values() if row.history_user_id}
        if user_ids:
            users = get_user_model()._default_manager.in_bulk(list(user_ids))

    changes = []
    for pos in found:
        if pos.code == IMPORT_RUN_CODE:
            run = runs.get(pos.hid)
            if run is not None:
                changes.append(
                    Change(
                        position=pos,
                        kind=None,
                        operation="imported",
                        when=run.finished_at,
                        actor="import",
                        object_id=run.pk,
                        label=run.command,
                        import_run=run,
                    )
                )
            continue
        row = rows.get((pos.code, pos.hid))
        if row is None:
            continue
        kind = BY_CODE[pos.code]
        prev = prevs.get((pos.code, pos.hid))
        reason = row.history_change_reason or ""
        change = Change(
            position=pos,
            kind=kind,
            operation=_operation(row),
            when=row.history_date,
            reason=reason,
            actor="import" if reason.startswith(IMPORT_REASON_PREFIX) else "staff",
            user_id=row.history_user_id,
            object_id=row.id,
            label=_record_label(kind, row, labels),
            page_url=_page_url(kind, row, labels),
            api_url=_url(kind.api_view, kind.api_key, getattr(row, kind.api_key, None))
            if row.history_type != "-"
            else None,
            row=row,
            prev=prev,
        )
        if row.history_type == "~":
            change.changed_fields = _raw_changes(kind, row, prev)
        elif row.history_type == "+":
            change.changed_fields = _raw_changes(kind, row, None)
        if row.history_type != "-" and not kind.member:
            change.field_changes = _field_changes(kind, row, prev, labels)
        if kind.member:
            member_field = kind.model._meta.get_field(kind.member.removesuffix("_id"))
            change.member = (
                f"{member_field.verbose_name}: "
                f"{labels.name(member_field.related_model, getattr(row, kind.member))}"
            )
        if with_data and row.history_type != "-":
            change.data = snapshot(kind, row)
        if with_users and row.history_user_id in users:
            change.user_name = users[row.history_user_id].get_username()
        changes.append(change)
    return changes


def group_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in GROUPS.items()]


def record_scope(record) -> dict[str, Q]:
    """The changes a reader following one city or partnership wants."""
    if isinstance(record, City):
        links = m.Partnership.objects.involving(record).order_by().values("pk")
        return {
            "city": Q(id=record.pk),
            "partnership": Q(city_a_id=record.pk) | Q(city_b_id=record.pk),
            "partnership-area": Q(partnership_id__in=links),
            "partnership-source": Q(partnership_id__in=links),
        }
    if isinstance(record, m.Partnership):
        return {
            "partnership": Q(id=record.pk),
            "partnership-area": Q(partnership_id=record.pk),
            "partnership-source": Q(partnership_id=record.pk),
            "event": Q(partnership_id=record.pk),
        }
    raise TypeError(f"No change feed for {type(record).__name__}.")
