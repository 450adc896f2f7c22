"""The fast read path of the API (issue 10): the same JSON as the DRF serializers,
built with a fraction of the work. Domain-free; the resources plug in their rows.

- `OrjsonRenderer`: DRF's JSONRenderer output, byte for byte, written by orjson.
  Whatever orjson would write differently falls back to DRF's own renderer: an
  indented answer (the browsable API), a float below 1e-4 (Python writes 1e-05,
  orjson 0.00001), an integer beyond 64 bits, any type orjson does not know
  (handed to DRF's encoder, as `default`). Datetimes go through DRF's encoder too
  (milliseconds, "Z" for UTC).
- `datetime_text`, `date_text`, `coordinate`: a model value as DRF's fields show it.
- `UrlTemplates`: the API and public addresses of a request, each reversed once
  (api.fields._UrlTemplate) and then filled per row by string formatting.
- `SparseFields`: ?fields=id,city_a.slug,start (a sparse fieldset), checked against
  the names a record has (a bad name is a 400 naming it), applied to built records.

Reads are built from values() rows into dicts by each viewset (`fast_records`);
serializers stay the one definition of writes, validation and the OpenAPI schema,
and tests/test_api_representation_golden.py holds the two paths to the same bytes.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import orjson
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .fields import _UrlTemplate

# -- rendering ----------------------------------------------------------------------

_ENCODER = JSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
# The floats orjson writes otherwise than Python, all below 1e-4: 0.00001 (Python
# 1e-05) and 1.5e-7 (Python 1.5e-07). Such an answer is written by DRF's renderer
# instead. The pattern may also meet such text inside a string: that answer is then
# only slower.
_SMALL_FLOAT = re.compile(rb"[-:\[,]-?0\.0000\d|\de-\d(?!\d)")
# The pattern's two literal cores, which re scans for quickly: the whole pattern
# took 3.5 ms on a 150 KB page of links, these 0.15 ms. Each core found is then
# checked with the whole pattern around it.
_SMALL_FLOAT_CORES = (re.compile(rb"0\.0000\d"), re.compile(rb"e-\d(?!\d)"))


def _has_small_float(body: bytes) -> bool:
    for core in _SMALL_FLOAT_CORES:
        for found in core.finditer(body):
            if _SMALL_FLOAT.search(body, max(0, found.start() - 2), found.end() + 1):
                return True
    return False


class OrjsonRenderer(JSONRenderer):
    """application/json, as DRF's JSONRenderer writes it (compact, UTF-8, U+2028 and
    U+2029 escaped), several times faster."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return super().render(data, accepted_media_type, renderer_context)
        if _has_small_float(body):
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


# -- values as DRF's fields show them -----------------------------------------------


def datetime_text(value, zone=None) -> str | None:
    """serializers.DateTimeField().to_representation(value), for ISO 8601 output;
    `zone`: the current time zone, when the caller has it already."""
    if not value:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(zone or timezone.get_current_timezone())
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def date_text(value) -> str | None:
    return value.isoformat() if value else None


def coordinate(value) -> float | None:
    return None if value is None else float(value)


# -- addresses ----------------------------------------------------------------------


#: Paths reversed with a marker key, per process: (kind, name, key, script prefix,
#: language) -> path. The language matters for public pages (i18n_patterns).
_PATHS: dict = {}


@receiver(setting_changed)
def _forget_paths(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES"):
        _PATHS.clear()


def _marker_path(cache_key, make_path, integer: bool) -> str:
    from django.urls import get_script_prefix
    from django.utils import translation

    full_key = (*cache_key, get_script_prefix(), translation.get_language())
    path = _PATHS.get(full_key)
    if path is None:
        marker = _UrlTemplate.INT_MARKER if integer else _UrlTemplate.SLUG_MARKER
        path = _PATHS[full_key] = make_path(marker)
    return path


class _Filled:
    """The absolute URL of a key: the request's scheme and host, then a path made
    by reversing once with a marker (api.fields._UrlTemplate's template)."""

    def __init__(self, request, path: str, integer: bool):
        marker = str(_UrlTemplate.INT_MARKER if integer else _UrlTemplate.SLUG_MARKER)
        url = request.build_absolute_uri(path) if request is not None else path
        self.prefix, _, self.suffix = url.partition(marker)

    def __call__(self, key) -> str:
        # quote() leaves ids and ASCII slugs as they are: only others go through it.
        text = str(key)
        if not _UNRESERVED(text):
            text = quote(text, safe="")
        return f"{self.prefix}{text}{self.suffix}"


#: What quote(text, safe="") returns unchanged.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*\Z").match


class UrlTemplates:
    """The request's absolute addresses: `api(view_name, lookup)` for an API route,
    `page(model, key)` for a record's public page (its get_absolute_url()), each a
    function key -> URL. The path is reversed once per process (and script prefix
    and language), the scheme and host taken from each request."""

    def __init__(self, request):
        self.request = request
        self._made: dict = {}

    def api(self, view_name: str, *, lookup: str = "pk"):
        key = ("api", view_name, lookup)
        if key not in self._made:
            from django.urls import reverse

            integer = lookup in ("pk", "id")
            path = _marker_path(
                key, lambda marker: reverse(view_name, kwargs={lookup: marker}), integer
            )
            self._made[key] = _Filled(self.request, path, integer)
        return self._made[key]

    def page(self, model, key: str = "slug"):
        cache_key = ("page", model, key)
        if cache_key not in self._made:
            integer = key in ("pk", "id")
            path = _marker_path(
                cache_key, lambda marker: model(**{key: marker}).get_absolute_url(), integer
            )
            self._made[cache_key] = _Filled(self.request, path, integer)
        return self._made[cache_key]


def url_templates(request) -> UrlTemplates:
    """One UrlTemplates per request."""
    made = getattr(request, "_fast_url_templates", None)
    if made is None:
        made = request._fast_url_templates = UrlTemplates(request)
    return made


# -- ?fields= -----------------------------------------------------------------------

FIELDS_PARAMETER = "fields"

FIELDS_OPENAPI_PARAMETER = OpenApiParameter(
    FIELDS_PARAMETER,
    OpenApiTypes.STR,
    description="A sparse fieldset: only these fields of each record, comma-separated, "
    "nested ones by a dotted path (e.g. id,city_a.slug,city_b.slug,start). Fields keep "
    "their order in the record; a name the record does not have is a 400 naming it. "
    "On a CSV export, the CSV columns of those names.",
)


def field_tree(serializer) -> dict:
    """{name: subtree or None} of what a serializer's records hold; nested objects
    (a summary, a list of summaries) have their own names."""
    tree = {}
    for name, field in serializer.fields.items():
        tree[name] = _nested_tree(field)
    return tree


def _nested_tree(field):
    from .fields import PrefetchedManyRelatedField, RelatedSummaryField

    if isinstance(field, PrefetchedManyRelatedField):
        return _nested_tree(field.child_relation)
    if isinstance(field, serializers.ListSerializer):
        return _nested_tree(field.child)
    if isinstance(field, RelatedSummaryField):
        return field_tree(field.summary_serializer())
    if isinstance(field, serializers.Serializer):
        return field_tree(field)
    return None


class SparseFields:
    """A parsed ?fields=: `tree` {name: subtree or None (all of it)}."""

    def __init__(self, tree: dict):
        self.tree = tree

    @classmethod
    def parse(cls, raw: str, known: dict) -> SparseFields:
        """Check every dotted path of `raw` against `known` (field_tree); a 400 names
        the first path that is not there, with the names accepted at that level."""
        tree: dict = {}
        paths = [part.strip() for part in raw.split(",") if part.strip()]
        if not paths:
            raise serializers.ValidationError(
                {FIELDS_PARAMETER: ["Name at least one field, e.g. fields=id,url."]}
            )
        for path in paths:
            node, level, names = tree, known, path.split(".")
            for depth, name in enumerate(names):
                accepted = level
                if not isinstance(accepted, dict) or name not in accepted:
                    where = ".".join(names[:depth]) or "the record"
                    choices = ", ".join(accepted) if isinstance(accepted, dict) else "none"
                    raise serializers.ValidationError(
                        {
                            FIELDS_PARAMETER: [
                                f"Unknown field {path!r}: {where} has no field {name!r}. "
                                f"Fields here: {choices}."
                            ]
                        }
                    )
                last = depth == len(names) - 1
                if last:
                    node[name] = None  # the whole value
                else:
                    child = node.get(name, {})
                    if child is None:  # already asked for whole
                        break
                    node[name] = child
                    node = child
                level = accepted[name]
        return cls(tree)

    def apply(self, record):
        return _pick(record, self.tree)

    def apply_many(self, records: list) -> list:
        tree = self.tree
        return [_pick(record, tree) for record in records]


def _pick(value, tree):
    if tree is None or value is None:
        return value
    if isinstance(value, list):
        return [_pick(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {name: _pick(value[name], tree[name]) for name in value if name in tree}


# -- filters ------------------------------------------------------------------------

_FORM_CLASSES: dict = {}


def reuse_form_class(filterset):
    """Let a FilterSet reuse its form class, made once per FilterSet class.

    django-filter makes a new form class for every request, with a new form field
    for each filter (a tenth of a page of links). The form class depends on the
    FilterSet's declared filters only (none here is altered per request); each form
    instance still deep-copies its fields, so no state is shared between requests.
    """
    cls = type(filterset)
    made = _FORM_CLASSES.get(cls)
    if made is None:
        made = _FORM_CLASSES[cls] = filterset.get_form_class()
    filterset.get_form_class = lambda: made
    return filterset


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, with each FilterSet's form class made once."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        return filterset if filterset is None else reuse_form_class(filterset)
