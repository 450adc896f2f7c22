"""Serializer fields that know no domain, shared by the API's serializers.

- `ApiUrlField` / `PageUrlField`: a record's absolute API address and public page,
  reversed once per response rather than once per row.
- `PartialDateField`: one JSON string ("1998", "2018-04", "2018-04-13") for a model's
  (date, precision) pair, read and written the same way.
- `RelatedSummaryField`: a relation written as a slug or id and read back as a small
  nested object (a city's slug, name, country...), so a client can post what it
  reads without a second lookup table.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from common.dates import PartialDate


def prefetched(name: str) -> str:
    """The attribute a list's Prefetch(name, to_attr=...) leaves its rows in.

    Django's ordinary prefetch keeps its rows in a queryset built for each row of the
    page, the costliest step of rendering a page of links; a plain to_attr list costs
    nothing. Fields read this list when it is there (PrefetchedManyRelatedField).
    """
    return f"{name}_list"


class _UrlTemplate:
    """An absolute URL reversed once with a marker key, then filled in per row.

    A page of 100 links names ~600 URLs (the link, both cities, their public pages);
    reversing each one is the largest cost of rendering the page. The URL patterns
    stay the single source of truth: the template is made by reversing them.
    """

    SLUG_MARKER = "url-key-marker-7f3a"
    INT_MARKER = 987_650_123_4567

    def __init__(self, path_for_marker, request, *, integer: bool):
        self.marker = str(self.INT_MARKER if integer else self.SLUG_MARKER)
        path = path_for_marker(self.INT_MARKER if integer else self.SLUG_MARKER)
        url = request.build_absolute_uri(path) if request is not None else path
        self.prefix, _, self.suffix = url.partition(self.marker)

    def fill(self, key) -> str:
        return f"{self.prefix}{quote(str(key), safe='')}{self.suffix}"


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The record's own API address (DRF's HyperlinkedIdentityField, reversed once)."""

    def __init__(self, view_name: str, lookup_field: str = "pk", **kwargs):
        self.view_name = view_name
        self.lookup_field = lookup_field
        kwargs.setdefault("help_text", "This record's address in the API.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        template = getattr(self, "_template", None)
        if template is None:
            template = self._template = _UrlTemplate(
                lambda marker: reverse(self.view_name, kwargs={self.lookup_field: marker}),
                self.context.get("request"),
                integer=self.lookup_field in ("pk", "id"),
            )
        return template.fill(getattr(instance, self.lookup_field))


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the record's page on the public site.

    Made by the model's own get_absolute_url(), called once on a stand-in record
    whose `key` ("slug" or "pk") is a marker; so get_absolute_url() must depend on
    that one field, as it does for every model with a public page.
    """

    def __init__(self, key: str = "slug", **kwargs):
        self.key = key
        kwargs.setdefault("help_text", "The record's page on the public site.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        template = getattr(self, "_template", None)
        if template is None:
            model = type(instance)
            template = self._template = _UrlTemplate(
                lambda marker: model(**{self.key: marker}).get_absolute_url(),
                self.context.get("request"),
                integer=self.key in ("pk", "id"),
            )
        return template.fill(getattr(instance, self.key))


# A year, year-month or date with a month 01-12 and a day 01-31 (a day its month lacks,
# 2023-02-30, is still a 400 the pattern cannot see).
PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

PARTIAL_DATE_HELP = (
    'Reduced ISO 8601 at the precision known: "1998" (year), "2018-04" (month) '
    'or "2018-04-13" (day).'
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": PARTIAL_DATE_PATTERN,
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


#: The most distinct related records one many-to-many field takes in one write.
MAX_RELATED = 200


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

    def to_internal_value(self, data):
        # ["art"] x 10,000 was 10,000 lookups (13.7 s) for one area: the same key
        # given twice is one link, so it is looked up once. Many distinct keys are
        # refused: no record links to hundreds of areas or sources.
        if isinstance(data, list):
            folded = {}
            for item in data:
                key = item if isinstance(item, str | int) else repr(item)
                folded.setdefault(key, item)
            data = list(folded.values())
            if len(data) > MAX_RELATED:
                raise serializers.ValidationError(
                    f"Give at most {MAX_RELATED} different records here; {len(data)} were given."
                )
        return super().to_internal_value(data)


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
        if self.slug_field != "pk" and not isinstance(data, str):
            # A slug is text, as the schema says: 0 is not the city whose slug is "0".
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
