"""Serializer fields shared by the API's serializers.

- `PartialDateField`: one JSON string ("1998", "2018-04", "2018-04-13") for a model's
  (date, precision) pair, read and written the same way.
- `RelatedSummaryField`: a relation written as a slug or id and read back as a small
  nested object (a city's slug, name, country...), so a client can post what it
  reads without a second lookup table.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from config.api_base import prefetched
from partnerships.dates import PartialDate

PARTIAL_DATE_HELP = (
    'Reduced ISO 8601 at the precision known: "1998" (year), "2018-04" (month) '
    'or "2018-04-13" (day).'
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "2018-04",
        "description": PARTIAL_DATE_HELP,
    }
)
class PartialDateField(serializers.Field):
    """Maps one value onto two model fields: a date and its precision.

    Its source is the whole instance ("*"), so on input it returns a dict that DRF
    merges into validated_data: {"start_date": date, "start_precision": "year"}.
    """

    def __init__(self, *, date_field: str, precision_field: str, **kwargs):
        self.date_field = date_field
        self.precision_field = precision_field
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        super().__init__(source="*", **kwargs)

    @property
    def model_fields(self) -> tuple[str, str]:
        """The model fields this one value stands for (errors on either are reported here)."""
        return (self.date_field, self.precision_field)

    def run_validation(self, data=empty):
        # A source="*" field cannot hand DRF a bare None to merge; clear the date instead.
        if data is None and self.allow_null:
            return {self.date_field: None}
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = PartialDate.parse(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return {self.date_field: value.date, self.precision_field: value.precision}

    def to_representation(self, instance):
        value = PartialDate.of(
            getattr(instance, self.date_field), getattr(instance, self.precision_field)
        )
        return value.isoformat() if value else None

    default_error_messages = {
        "invalid": "Give the date as a string: YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1998).",
    }


class PrefetchedManyRelatedField(ManyRelatedField):
    """A many-to-many field that reads the plain list left by Prefetch(to_attr=...).

    Django's ordinary prefetch stores its rows in a queryset built for each row of
    the page, which was the costliest step of rendering a page of links; a to_attr
    list costs nothing. A record that was not prefetched (one just created) is read
    through its manager as usual.
    """

    def get_attribute(self, instance):
        rows = getattr(instance, prefetched(self.source), None)
        return rows if rows is not None else super().get_attribute(instance)


class PrefetchedListSerializer(serializers.ListSerializer):
    """The same for a nested read-only list (an organisation's figures, an event's quotes)."""

    def get_attribute(self, instance):
        rows = getattr(instance, prefetched(self.source), None)
        return rows if rows is not None else super().get_attribute(instance)


class PrefetchedManyMixin:
    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return PrefetchedManyRelatedField(**list_kwargs)


class RelatedSummaryField(PrefetchedManyMixin, serializers.SlugRelatedField):
    """Written as `slug_field` (a slug or an id); read as `summary_serializer`'s object."""

    default_error_messages = {
        "does_not_exist": "No {model} has the {lookup} “{value}”.",
        "invalid": "Give the related record's {lookup}.",
    }

    def __init__(self, *, summary_serializer, **kwargs):
        self.summary_serializer = summary_serializer
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        # One summary serializer per field, reused for every row of a page.
        summary = getattr(self, "_summary", None)
        if summary is None:
            summary = self._summary = self.summary_serializer(context=self.context)
        return summary.to_representation(obj)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            # The summary as it was read (a PUT of a fetched record): take its key.
            data = data.get("id" if self.slug_field == "pk" else self.slug_field)
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid", lookup=self._key_name)
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            self.fail(
                "does_not_exist",
                model=queryset.model._meta.verbose_name,
                lookup=self._key_name,
                value=data,
            )
        except (TypeError, ValueError):
            self.fail("invalid", lookup=self._key_name)

    def get_choices(self, cutoff=None):
        # The browsable API's <select>: keyed by what is written (the slug or id),
        # since the nested summary read back is a dict and cannot be a key.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        key = "pk" if self.slug_field == "pk" else self.slug_field
        return {getattr(item, key): self.display_value(item) for item in queryset}

    @property
    def _key_name(self) -> str:
        return "id" if self.slug_field == "pk" else self.slug_field

    def use_pk_only_optimization(self):
        return False


class RelatedSummaryFieldSchema(OpenApiSerializerFieldExtension):
    """Documents the two faces of RelatedSummaryField: slug/id in, object out."""

    target_class = RelatedSummaryField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction == "response":
            component = auto_schema.resolve_serializer(field.summary_serializer, direction)
            return component.ref
        if field.slug_field == "pk":
            return build_basic_type(OpenApiTypes.INT)
        return {**build_basic_type(OpenApiTypes.STR), "description": f"The {field.slug_field}."}
