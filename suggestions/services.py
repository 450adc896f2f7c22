"""Reviewing suggestions: what a reader may correct, and accepting or rejecting it.

Accepting applies the change as the admin and the API do: the value is set on the
record, `full_clean()` checks every model rule (a self-link, an end before the
start, a duplicate link, a bad Wikidata ID...), and the save is kept in history
with the reviewer as its user and a change reason citing the suggestion. The
suggestion's source becomes a `Source` record, added to the record's sources where
the record has a sources list (partnerships, liaison offices).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City
from common.dates import PartialDate
from partnerships.models import LiaisonOffice, Official, Partnership, Source

from .models import Action, Status, Subject, Suggestion

#: What a reader may propose a new value for, per kind of record (model field names).
CORRECTABLE: dict[str, tuple[str, ...]] = {
    Subject.CITY: (
        "name",
        "native_name",
        "region",
        "population",
        "latitude",
        "longitude",
        "wikidata_id",
        "description",
    ),
    Subject.PARTNERSHIP: ("kind", "status", "start_date", "end_date", "description"),
    Subject.OFFICE: (
        "status",
        "announced_on",
        "opened_on",
        "closed_on",
        "purpose",
        "description",
    ),
    Subject.OFFICIAL: ("name", "title", "term_start", "term_end"),
}
MODELS = {
    Subject.CITY: City,
    Subject.PARTNERSHIP: Partnership,
    Subject.OFFICE: LiaisonOffice,
    Subject.OFFICIAL: Official,
}
REASON_MAX = 100  # simple_history's history_change_reason column


class ReviewError(Exception):
    """The suggestion cannot be reviewed (already reviewed, record gone)."""


def field_choices(subject: str) -> list[tuple[str, str]]:
    model = MODELS[subject]
    return [
        (name, str(model._meta.get_field(name).verbose_name).removesuffix(" date"))
        for name in CORRECTABLE[subject]
    ]


def _partial_pairs(model) -> dict[str, str]:
    return dict(getattr(model, "PARTIAL_DATES", {}))


def parse_value(subject: str, name: str, text: str) -> dict:
    """The model attributes a proposed text sets, or a ValidationError for the reader.

    A date field takes reduced ISO 8601 at any precision ("1998", "2018-04"); a
    choice takes its value or its label ("twin" or "twin cities").
    """
    model = MODELS[subject]
    if name not in CORRECTABLE[subject]:
        raise ValidationError({"field": _("This field cannot be corrected here.")})
    field = model._meta.get_field(name)
    text = (text or "").strip()
    pairs = _partial_pairs(model)
    if name in pairs:
        if not text:
            return {name: None}
        try:
            value = PartialDate.parse(text)
        except ValueError as exc:
            raise ValidationError({"proposed_value": str(exc)}) from None
        return {name: value.date, pairs[name]: value.precision}
    if field.choices:
        by_label = {str(label).lower(): value for value, label in field.flatchoices}
        values = {str(value) for value, _label in field.flatchoices}
        if text in values:
            return {name: text}
        if text.lower() in by_label:
            return {name: by_label[text.lower()]}
        allowed = ", ".join(str(value) for value, _label in field.flatchoices)
        raise ValidationError(
            {"proposed_value": _("Choose one of: %(allowed)s.") % {"allowed": allowed}}
        )
    if isinstance(field, models.PositiveBigIntegerField | models.IntegerField):
        if not text:
            return {name: None}
        try:
            return {name: int(text.replace(",", "").replace(" ", ""))}
        except ValueError:
            raise ValidationError({"proposed_value": _("Give a whole number.")}) from None
    if isinstance(field, models.DecimalField):
        if not text:
            return {name: None}
        try:
            return {name: Decimal(text)}
        except InvalidOperation:
            raise ValidationError({"proposed_value": _("Give a number, e.g. 32.08.")}) from None
    if not text and not field.blank:
        raise ValidationError({"proposed_value": _("This field cannot be empty.")})
    return {name: text}


def current_display(record, name: str) -> str:
    if record is None:
        return "—"
    pairs = _partial_pairs(type(record))
    if name in pairs:
        value = record.partial_date(name)
        return value.display() if value else "—"
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    return "—" if value in (None, "") else str(value)


def comparison(suggestion: Suggestion) -> list[tuple[str, str, str]]:
    """(what, stored now, proposed) rows for the admin's side-by-side."""
    if suggestion.action == Action.ADD_PARTNERSHIP:
        return [
            (str(gettext_lazy("city")), "", str(suggestion.city or "—")),
            (str(gettext_lazy("partner city")), "", str(suggestion.partner_city or "—")),
            (str(gettext_lazy("kind")), "", suggestion.get_proposed_kind_display() or "—"),
            (str(gettext_lazy("status")), "", suggestion.get_proposed_status_display() or "—"),
            (str(gettext_lazy("start")), "", suggestion.proposed_start or "—"),
        ]
    labels = dict(field_choices(suggestion.subject))
    return [
        (
            labels.get(suggestion.field, suggestion.field),
            current_display(suggestion.target, suggestion.field),
            suggestion.proposed_value or "—",
        )
    ]


def _reason(suggestion: Suggestion) -> str:
    reason = f"Suggestion #{suggestion.pk} accepted; source: {suggestion.source_label}"
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def _make_source(suggestion: Suggestion, reviewer) -> Source:
    host = urlsplit(suggestion.source_url).hostname if suggestion.source_url else ""
    source = Source(
        publisher=(host or _("Reader suggestion"))[:200],
        title=(suggestion.source_title or suggestion.source_url)[:500],
        url=suggestion.source_url,
        note=_("Sent with reader suggestion #%(pk)s.") % {"pk": suggestion.pk},
    )
    source.full_clean()
    _stamp(source, suggestion, reviewer)
    source.save()
    return source


def _stamp(instance, suggestion: Suggestion, reviewer) -> None:
    instance._history_user = reviewer
    instance._change_reason = _reason(suggestion)


def _cite(record, source: Source, suggestion: Suggestion, reviewer) -> None:
    """Add the source to the record's sources, one through row with its own history."""
    if not hasattr(record, "sources"):
        return
    field = record._meta.get_field("sources")
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    row = through(**{own: record, other: source})
    _stamp(row, suggestion, reviewer)
    row.save()


@transaction.atomic
def accept_suggestion(*, suggestion: Suggestion, reviewer, staff_note: str = ""):
    """Apply the suggestion to the record (or create the link) and mark it accepted.

    Raises ValidationError when the change breaks a model rule (nothing is written),
    ReviewError when it was already reviewed or its record is gone.
    """
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != Status.NEW:
        raise ReviewError(_("This suggestion was already reviewed."))
    if locked.action == Action.ADD_PARTNERSHIP:
        if locked.city is None or locked.partner_city is None:
            raise ReviewError(_("One of the two cities no longer exists."))
        record = Partnership(
            city_a=locked.city,
            city_b=locked.partner_city,
            kind=locked.proposed_kind or Partnership.Kind.TWIN,
            status=locked.proposed_status or Partnership.Status.ACTIVE,
        )
        if locked.proposed_start:
            start = PartialDate.parse(locked.proposed_start)
            record.start_date, record.start_precision = start.date, start.precision
    else:
        target = locked.target
        if target is None:
            raise ReviewError(_("The record this suggestion is about no longer exists."))
        record = type(target)._default_manager.select_for_update().get(pk=target.pk)
        for attr, value in parse_value(locked.subject, locked.field, locked.proposed_value).items():
            setattr(record, attr, value)
    record.full_clean()
    source = _make_source(locked, reviewer)
    _stamp(record, locked, reviewer)
    record.save()
    _cite(record, source, locked, reviewer)

    locked.status = Status.ACCEPTED
    locked.reviewed_by = reviewer
    locked.reviewed_at = timezone.now()
    locked.source = source
    locked.staff_note = staff_note or locked.staff_note
    if locked.action == Action.ADD_PARTNERSHIP:
        locked.created_partnership = record
    locked.save()
    return record


@transaction.atomic
def reject_suggestion(*, suggestion: Suggestion, reviewer, reason: str, duplicate: bool = False):
    """Mark the suggestion rejected (or a duplicate), with the reason; the record is untouched."""
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != Status.NEW:
        raise ReviewError(_("This suggestion was already reviewed."))
    if not (reason or "").strip():
        raise ValidationError({"staff_note": _("Say why, in the staff note.")})
    locked.status = Status.DUPLICATE if duplicate else Status.REJECTED
    locked.reviewed_by = reviewer
    locked.reviewed_at = timezone.now()
    locked.staff_note = reason.strip()
    locked.save()
    return locked
