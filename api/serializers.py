"""Serializer bases that know no domain, shared by `cities.api` and `partnerships.api`.

- `StrictModelSerializer`: writes go through the model's own `full_clean()` (the same
  rules as the admin: one rule, one place), and a payload naming a field the
  serializer does not have is a 400 rather than silently dropped. A model's partial
  dates (its `PARTIAL_DATES`) become one `PartialDateField` each, named after the date.
- `NestedSummaryMixin`: fast read-only summaries nested many times in a page.
- `set_related`: many-to-many writes one through row at a time (so history shows them).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings

from .fields import PartialDateField, prefetched


def set_related(instance, name: str, targets, *, history_user=None) -> None:
    """Make `instance.<name>` hold exactly `targets`, one through row at a time.

    Unlike `ManyRelatedManager.set()`, which bulk-creates and so leaves no trace,
    each added or removed through row is saved or deleted on its own, so the edit
    history shows who added or removed an area, a source or a participant.
    """
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    current = {
        getattr(row, f"{other}_id"): row for row in through.objects.filter(**{own: instance})
    }
    wanted = {target.pk: target for target in targets}
    for pk, row in current.items():
        if pk not in wanted:
            row._history_user = history_user
            row.delete()
    for pk, target in wanted.items():
        if pk not in current:
            row = through(**{own: instance, other: target})
            row._history_user = history_user
            row.save()


class NestedSummaryMixin:
    """For read-only summaries nested many times in a page (a link's two cities, its
    sources): reads each field's attribute directly instead of through DRF's general
    per-field machinery, which was the largest share of rendering a page of 100 links.

    Only for plain model attributes and `source="*"` fields: a field with its own
    get_attribute() (e.g. a prefetched list) must not be used in such a summary.
    """

    def to_representation(self, instance):
        fields = self.__dict__.get("_summary_fields")
        if fields is None:
            fields = self._summary_fields = [
                (field.field_name, field, tuple(field.source_attrs))
                for field in self._readable_fields
            ]
        representation = {}
        for name, field, attrs in fields:
            value = instance
            for attr in attrs:
                value = getattr(value, attr, None) if value is not None else None
            representation[name] = None if value is None else field.to_representation(value)
        return representation


class PartialDateFieldsMixin:
    """For a ModelSerializer of a model with PARTIAL_DATES (common.dates): each partial
    date named in Meta.fields ("start", "opened_on", "date") is one PartialDateField
    over its (date, precision) pair, optional and nullable when the date may be empty.
    """

    def build_field(self, field_name, info, model_class, nested_depth):
        specs = getattr(model_class, "partial_date_specs", None)
        for spec in specs() if specs else ():
            if spec.name == field_name:
                kwargs = {"date_field": spec.date_field, "precision_field": spec.precision_field}
                if not spec.required:
                    kwargs.update(required=False, allow_null=True)
                return PartialDateField, kwargs
        return super().build_field(field_name, info, model_class, nested_depth)


class StrictModelSerializer(PartialDateFieldsMixin, serializers.ModelSerializer):
    """A ModelSerializer whose writes are validated by the model, not re-implemented here.

    `validate()` applies the payload to the instance (a new one on create) and calls
    `full_clean()`; Django's errors come back as DRF errors keyed by this
    serializer's field names (a model's `end_date` error is reported on `end`).
    The cleaned instance is what gets saved, so what clean() normalised (canonical
    city order, dates truncated to their precision) is what is stored.
    """

    def get_validators(self):
        # The model's constraints are checked by full_clean(); DRF's copies of them
        # (UniqueTogetherValidator) would only repeat the message in another form.
        return list(getattr(self.Meta, "validators", ()))

    # -- input ---------------------------------------------------------------

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            # A form post from the browsable API carries Django's CSRF token field.
            unknown = sorted(set(data) - set(self.fields) - {"csrfmiddlewaretoken"})
            if unknown:
                writable = ", ".join(
                    name for name, field in self.fields.items() if not field.read_only
                )
                raise serializers.ValidationError(
                    {name: [f"Unknown field. Writable fields: {writable}."] for name in unknown}
                )
            # DRF reads an object given for a list field as the list of its keys ({} is
            # []): an object where the schema says array is a 400.
            not_lists = sorted(
                name
                for name, field in self.fields.items()
                if isinstance(field, ManyRelatedField | serializers.ListField)
                and isinstance(data.get(name), Mapping)
            )
            if not_lists:
                raise serializers.ValidationError(
                    {name: ["Expected a list of items, got an object."] for name in not_lists}
                )
            # DRF's CharField turns a number or a boolean into its text (0 is "0"): a
            # value of another JSON type where the schema says string is a 400.
            not_strings = sorted(
                name
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data.get(name), str)
            )
            if not_strings:
                raise serializers.ValidationError(
                    {name: ["Not a valid string."] for name in not_strings}
                )
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        many_to_many = self._many_to_many_names()
        plain = {name: value for name, value in attrs.items() if name not in many_to_many}
        if self.instance is None:
            instance = self.Meta.model(**plain)
        else:
            instance = self.instance
            for name, value in plain.items():
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self._model_errors(exc)) from None
        self._cleaned_instance = instance
        return attrs

    # -- saving --------------------------------------------------------------

    def create(self, validated_data):
        return self._save_cleaned(validated_data)

    def update(self, instance, validated_data):
        return self._save_cleaned(validated_data)

    @transaction.atomic
    def _save_cleaned(self, validated_data):
        instance = self._cleaned_instance
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # simple_history reads this before its middleware's request, whose user
            # may still be anonymous when DRF authenticated the call by token.
            instance._history_user = request.user
        instance.save()
        user = getattr(instance, "_history_user", None)
        for name in self._many_to_many_names():
            if name in validated_data:
                set_related(instance, name, validated_data[name], history_user=user)
                # The list prefetched when the record was read is now out of date.
                instance.__dict__.pop(prefetched(name), None)
        return instance

    # -- helpers -------------------------------------------------------------

    def _many_to_many_names(self) -> set[str]:
        return {field.name for field in self.Meta.model._meta.many_to_many}

    def _field_names_by_model_field(self) -> dict[str, str]:
        """Model field name -> this serializer's field name reporting its errors."""
        names = {}
        for name, field in self.fields.items():
            if field.read_only:
                continue
            if field.source == "*":
                # A field spread over several model fields (PartialDateField).
                for model_field in getattr(field, "model_fields", ()):
                    names[model_field] = name
            else:
                names[field.source.split(".")[0]] = name
        return names

    def _model_errors(self, exc: DjangoValidationError) -> dict[str, list[str]]:
        if not hasattr(exc, "error_dict"):
            return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
        names = self._field_names_by_model_field()
        errors: dict[str, list[str]] = {}
        for model_field, messages in exc.message_dict.items():
            if model_field == NON_FIELD_ERRORS:
                key, prefix = api_settings.NON_FIELD_ERRORS_KEY, ""
            elif model_field in names:
                key, prefix = names[model_field], ""
            else:
                # A rule about a field this serializer does not expose: still say which.
                key, prefix = api_settings.NON_FIELD_ERRORS_KEY, f"{model_field}: "
            errors.setdefault(key, []).extend(prefix + message for message in messages)
        return errors
