"""Optimistic locking for admin change forms.

The change form carries, in a hidden field, a fingerprint of the record as stored
when the form was opened. On save the record is read again, locked (SELECT ... FOR
UPDATE on PostgreSQL, inside the admin's transaction), and if its fingerprint
differs, someone else saved it in between: the form is shown again with an error
naming who and when, and nothing is written. Without this the second save would
silently overwrite the first.

The fingerprint covers every stored column of the record (so also changes made by
an import or a bulk update, which leave no history), not its inline rows.
"""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

VERSION_FIELD = "record_version"


def stored_columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def fingerprint(values: dict) -> str:
    canonical = json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def stored_version(model, pk, *, lock: bool = False) -> str | None:
    """The fingerprint of the row as stored now, or None if it is gone."""
    rows = model._base_manager.filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    values = rows.values(*stored_columns(model)).first()
    return None if values is None else fingerprint(values)


def last_change_by(instance) -> str:
    """ "by editor, 13 April 2018 10:02 UTC" from the record's history, if it has one."""
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is None:
        return ""
    who = f" by {record.history_user}" if record.history_user else ""
    when = timezone.localtime(record.history_date).strftime("%d %B %Y %H:%M %Z")
    return f"{who}, {when}"


class VersionField(forms.CharField):
    """The hidden version; never one of the form's "changed" fields (the change
    message and the history's reason name what the editor changed)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm whose save is refused if the record changed since the form was shown."""

    record_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            # Read from the table, not from self.instance: the history "revert" form
            # shows an old version, and the check must be against what is stored.
            self.initial[VERSION_FIELD] = stored_version(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = self.data.get(VERSION_FIELD, "")
        if not opened:
            # A change form always carries the version; a post without it (an old
            # tab, a script) cannot show it saw the current record, so it could
            # silently overwrite a newer one.
            raise ValidationError(
                "This form did not say which version of the record it was opened on, "
                "so it could overwrite someone else's change. Open the record again "
                "and make your change there.",
                code="version_missing",
            )
        current = stored_version(type(self.instance), self.instance.pk, lock=True)
        if current is None:
            raise ValidationError(
                "This record was deleted by someone else after you opened this form.",
                code="deleted",
            )
        if opened != current:
            meta = self.instance._meta
            raise ValidationError(
                "Someone else changed this %(name)s after you opened this form%(by)s. "
                "Your changes were not saved. Open the record again to see the current "
                "version, then make your change again.",
                code="stale",
                params={"name": meta.verbose_name, "by": last_change_by(self.instance)},
            )
        return cleaned


class OptimisticLockAdminMixin:
    """Put first in a ModelAdmin's bases. A form set on the admin must subclass
    VersionCheckedForm to keep the check."""

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        # Without fieldsets Django lists every form field, the hidden one included;
        # keep it only where it belongs: on a change form someone may save.
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != VERSION_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and fieldsets and self.has_change_permission(request, obj):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets
