"""The base every API viewset stands on. Extend `ApiModelViewSet` (or mix in
`ApiViewSetMixin`) for a new resource; behaviour shared by all of them lives here:

- lists are paginated (`ApiPageNumberPagination`) and exportable: ?format=csv streams
  every filtered row (`csv_columns`);
- a query parameter that is not one of the list's filters (a typo such as
  `?contry=IL`) is a 400, not a filter silently ignored;
- deleting a record that others still point at (PROTECT) is a 409 Conflict that
  says what points at it; a write that loses a race with a database constraint is
  a 409 too, never a 500;
- errors are JSON even when CSV or GeoJSON was asked for;
- writes record the request's user in the history (also for token auth).
"""

from __future__ import annotations

import json
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import APIException, MethodNotAllowed, NotFound
from rest_framework.renderers import JSONRenderer

from .browsable import ApiBrowsableAPIRenderer
from .concurrency import ConditionalRequestMixin
from .etags import DataVersionETagMixin
from .fastread import (
    FIELDS_PARAMETER,
    FilterBackend,
    OrjsonRenderer,
    SparseFields,
    field_tree,
)
from .lean import with_lean_reads
from .pagination import ApiPageNumberPagination, with_unique_order
from .renderers import CSVRenderer, NDJSONRenderer, TemplateColumn, stream_csv

EXPORT_FORMATS = {"csv", "geojson", "ndjson"}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


def describe_references(protected_objects) -> str:
    """ "2 partnerships, 1 official" from the records a delete was refused for."""
    counts = Counter(type(obj)._meta for obj in protected_objects)
    return ", ".join(
        f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"
        for meta, n in sorted(counts.items(), key=lambda item: item[0].verbose_name)
    )


def format_parameter(*formats: str) -> OpenApiParameter:
    """The ?format= parameter of a list, documented with the exports it offers."""
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", *formats],
        description="json (default, paginated); "
        + "; ".join(f"{fmt}: every row matching the filters, streamed" for fmt in formats)
        + ". page and page_size do not apply to exports.",
    )


def reject_unknown_query_params(request, allowed: set[str], *, listed: set[str] | None = None):
    """A 400 naming each query parameter that is not in `allowed` (a typo such as
    ?contry=IL), with the accepted ones (`listed`, by default all of `allowed`)."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        accepted = ", ".join(sorted(allowed if listed is None else listed)) or "none"
        raise serializers.ValidationError(
            {name: [f"Unknown query parameter. Accepted here: {accepted}."] for name in unknown}
        )


class ErrorsInJSONMixin:
    """An error asked for as CSV, GeoJSON or NDJSON is still explained in JSON, as the
    schema documents every error (for any API view)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            response.status_code >= 400
            and getattr(getattr(request, "accepted_renderer", None), "format", None)
            in EXPORT_FORMATS
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ModelPermissionsOrAnonReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, without building the view's queryset
    for a read: a read needs no model permission (perms_map["GET"] is empty), so its
    answer never depended on the queryset, which DRF built for every request only to
    learn its model (a second queryset per detail request)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS and not self.perms_map.get(request.method):
            return bool(request.user)
        return super().has_permission(request, view)


class ApiViewSetMixin(ErrorsInJSONMixin):
    pagination_class = ApiPageNumberPagination
    renderer_classes = [OrjsonRenderer, ApiBrowsableAPIRenderer, CSVRenderer, NDJSONRenderer]
    permission_classes = [ModelPermissionsOrAnonReadOnly]
    filter_backends = [FilterBackend]

    #: Reads built from values() rows (`fast_records`) rather than the serializer;
    #: False answers every read through the serializer (the reference the tests
    #: compare the fast path with).
    fast_reads = True

    #: {action: handler} answering plain anonymous JSON reads before DRF's request
    #: cycle, returning None for any other request (api/lean.py).
    lean_actions: dict = {}

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        return with_lean_reads(view, cls, actions or {}, initkwargs)

    #: Columns of the CSV export (renderers.Column, PartialDateColumn, ManyColumn).
    csv_columns: tuple = ()
    #: The JSON's URL fields in the CSV: (header, view name, lookup), see csv_url_columns.
    csv_urls: tuple = ()
    #: The export's file name, without extension.
    export_name: str = "export"

    #: Actions whose query parameters are checked, and which of them take the filters.
    strict_query_actions = frozenset({"list", "facets", "partners"})
    filtered_actions = frozenset({"list", "facets"})
    #: Parameters any list accepts besides its filters. Extend in a subclass
    #: (e.g. a cache-busting parameter) rather than turning the check off.
    #: `lang`: display names of places in a language (cities.api.serializers).
    #: `fields`: a sparse fieldset (api.fastread.SparseFields).
    common_query_params = frozenset({"page", "page_size", "format", "lang", FIELDS_PARAMETER})

    # -- strict query parameters ------------------------------------------------

    def allowed_query_params(self) -> set[str]:
        allowed = set(self.common_query_params)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and self.action in self.filtered_actions:
            allowed |= set(filterset_class.base_filters)
        return allowed

    def repeatable_query_params(self) -> set[str]:
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None or self.action not in self.filtered_actions:
            return set()
        return {
            name
            for name, filter_ in filterset_class.base_filters.items()
            if getattr(filter_, "repeatable", False)
        }

    def check_query_params(self, request) -> None:
        reject_unknown_query_params(request, self.allowed_query_params())
        if request.query_params.get("page_size") and self.paginator is not None:
            # An export (?format=csv) has no pages, but a bad page_size is still a 400.
            self.paginator.get_page_size(request)
        page = request.query_params.get("page")
        if page and not (page.isascii() and page.isdigit() and int(page) >= 1):
            # As the paginator answers it for a JSON page, exports included.
            raise NotFound("Invalid page.")
        # ?kind=bogus&kind=twin would otherwise keep the last value and drop the other;
        # a filter that takes several values (api.filters, `repeatable`) reads them all.
        repeatable = self.repeatable_query_params()
        repeated = sorted(
            name
            for name in request.query_params
            if len(request.query_params.getlist(name)) > 1 and name not in repeatable
        )
        if repeated:
            raise serializers.ValidationError(
                {name: ["Give this parameter once."] for name in repeated}
            )

    def initial(self, request, *args, **kwargs):
        # A method this address does not have is a 405 for everyone: DRF would check
        # authentication and permissions first, so an anonymous PUT on a list was a
        # 401 that invites a retry with a token.
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        if self.action in self.strict_query_actions:
            self.check_query_params(request)
        if request.method == "GET" and "lang" in self.common_query_params:
            check_language_param(request)

    # -- pages --------------------------------------------------------------------

    def page_rows(self, filtered, ids):
        """The rows of one page, fetched by id (see ApiPageNumberPagination).

        Taken from get_queryset() rather than the filtered queryset, so the database
        looks the page up by primary key instead of evaluating the filters again.
        """
        base = self.get_queryset()
        if base.model is not filtered.model:  # an action listing another model
            base = filtered
        return base.order_by().filter(pk__in=ids)

    # -- the fast read path (api.fastread) -------------------------------------------

    def fast_records(self, queryset) -> list[tuple]:
        """(pk, record) for each row of `queryset`, each record exactly as the
        serializer shows it, in the queryset's order. Overridden by a viewset that
        has a fast path; the base has none (see `has_fast_path`)."""
        raise NotImplementedError

    def has_fast_path(self) -> bool:
        return (
            self.fast_reads
            and type(self).fast_records is not ApiViewSetMixin.fast_records
            # The browsable API ("api") reads through the serializer: its forms are
            # filled from the serializer's instance.
            and self.requested_format() in ("json", "ndjson")
        )

    def fast_queryset(self):
        """The queryset fast_records() reads; by default get_queryset(). A viewset may
        hand a prepared one (its values() already chosen, built once per process)."""
        return self.get_queryset()

    def fast_page_records(self, filtered, ids) -> list[dict]:
        """The records of one page, in the page's order (ids from the paginator)."""
        base = self.fast_queryset()
        rows = base if base.model is filtered.model else filtered
        made = dict(self.fast_records(rows.order_by().filter(pk__in=ids)))
        return [made[pk] for pk in ids if pk in made]

    def filters_given(self) -> bool:
        filterset_class = getattr(self, "filterset_class", None)
        return filterset_class is not None and not set(self.request.query_params).isdisjoint(
            filterset_class.base_filters
        )

    def fast_detail(self) -> dict:
        """The record of a detail route from one queryset (get_object() without the
        serializer). The list's filters apply, as they do to get_object()."""
        queryset = self.fast_queryset()
        if self.filters_given():
            queryset = self.filter_queryset(queryset)
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        try:
            rows = self.fast_records(
                queryset.filter(**{self.lookup_field: self.kwargs[lookup_url_kwarg]})
            )
        except (TypeError, ValueError, DjangoValidationError):
            raise Http404 from None  # a key of the wrong type, as get_object_or_404()
        if not rows:
            # get_object_or_404()'s words.
            raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
        record = rows[0][1]
        self.check_object_permissions(self.request, record)
        return record

    def retrieve_data(self):
        """The detail route's data: the fast path's or the serializer's, then ?fields=."""
        if self.has_fast_path():
            data = self.fast_detail()
        else:
            data = self.get_serializer(self.get_object()).data
        return self.sparse(data)

    # -- ?fields= ---------------------------------------------------------------------

    def known_fields(self) -> dict:
        """{name: subtree} of the records this view answers (for ?fields=)."""
        tree = field_tree(self.get_serializer())
        if self.request.query_params.get("lang"):
            tree = _with_display_names(tree)
        return tree

    def sparse_fields(self) -> SparseFields | None:
        cached = self.__dict__.get("_sparse_fields", False)
        if cached is not False:
            return cached
        raw = self.request.query_params.get(FIELDS_PARAMETER)
        # An empty ?fields= is the parameter not given, as for every filter.
        parsed = SparseFields.parse(raw, self.known_fields()) if raw else None
        self._sparse_fields = parsed
        return parsed

    def sparse(self, data):
        """`data` (a record or a list of records) cut down to ?fields=, when given."""
        fields = self.sparse_fields()
        if fields is None:
            return data
        return fields.apply_many(data) if isinstance(data, list) else fields.apply(data)

    def get_paginated_response(self, data):
        return super().get_paginated_response(self.sparse(data))

    # -- exports ------------------------------------------------------------------

    def requested_format(self) -> str | None:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None)

    def get_export_queryset(self):
        """The rows of an export; the list's filters are applied to it."""
        return self.get_queryset()

    def csv_url_columns(self) -> tuple:
        """The JSON's `url` / `page_url` as CSV columns: (header, view name, lookup)
        in `csv_urls`, each reversed once with a marker then filled per row."""
        built = []
        for header, view_name, lookup in self.csv_urls:
            marker = "KEY0MARKER" if lookup != "pk" else "987654321"
            url = self.request.build_absolute_uri(reverse(view_name, args=[marker]))
            built.append(TemplateColumn(header, url.replace(marker, "{key}"), lookup))
        return tuple(built)

    def sparse_csv_columns(self, columns: tuple) -> tuple:
        """The CSV columns ?fields= names (by their headers), in the export's order."""
        raw = self.request.query_params.get(FIELDS_PARAMETER)
        if not raw:
            return columns
        known = {column.header: None for column in columns}
        wanted = SparseFields.parse(raw, known).tree
        return tuple(column for column in columns if column.header in wanted)

    def perform_content_negotiation(self, request, force=False):
        # DRF answers an unknown ?format= with a 404, as if the record were missing.
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            wanted = request.query_params.get("format") or self.kwargs.get("format")
            if not wanted:
                raise
            offered = ", ".join(r.format for r in self.get_renderers())
            raise serializers.ValidationError(
                {"format": [f"Unknown format {wanted!r}. Choose one of: {offered}."]}
            ) from None

    def stream_ndjson(self, queryset, chunk_size: int = 500):
        """Every row as the JSON list shows it, one object per line, a chunk at a time:
        ids first (like a page), then each chunk's rows with their joins."""
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
        fast = self.has_fast_path()
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start : start + chunk_size]
            if fast:
                data = self.fast_page_records(queryset, chunk)
            else:
                rows = {row.pk: row for row in self.page_rows(queryset, chunk)}
                data = self.get_serializer([rows[pk] for pk in chunk if pk in rows], many=True).data
            data = self.sparse(data)
            yield "".join(
                json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in data
            )

    def export_response(self):
        """A streamed export of every filtered row, or None for a JSON page."""
        fmt = self.requested_format()
        if fmt == "ndjson" and self.action == "list":
            self.sparse_fields()  # checked before the stream starts
            queryset = self.filter_queryset(self.get_export_queryset())
            queryset = with_unique_order(queryset)
            response = StreamingHttpResponse(
                self.stream_ndjson(queryset), content_type=NDJSONRenderer.media_type
            )
            response["Content-Disposition"] = f'inline; filename="{self.export_name}.ndjson"'
            return response
        if self.requested_format() != "csv" or not self.csv_columns:
            return None
        columns = self.sparse_csv_columns((*self.csv_url_columns(), *self.csv_columns))
        queryset = self.filter_queryset(self.get_export_queryset())
        response = StreamingHttpResponse(
            stream_csv(queryset, columns),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}.csv"'
        return response

    def list(self, request, *args, **kwargs):
        fmt = self.requested_format()
        if fmt in EXPORT_FORMATS and FIELDS_PARAMETER in request.query_params:
            if fmt != "ndjson" and not (fmt == "csv" and self.csv_columns):
                raise serializers.ValidationError(
                    {FIELDS_PARAMETER: [f"?fields= does not apply to format={fmt}."]}
                )
        export = self.export_response()
        if export is not None:
            return export
        if self.has_fast_path():
            queryset = self.filter_queryset(self.get_queryset())
            ids = self.paginator.page_ids(queryset, request, self)
            return self.get_paginated_response(self.fast_page_records(queryset, ids))
        self.sparse_fields()  # a bad ?fields= is a 400 before any row is read
        return super().list(request, *args, **kwargs)

    # -- writes -------------------------------------------------------------------

    def perform_create(self, serializer):
        self._save_or_conflict(serializer)

    def perform_update(self, serializer):
        self._save_or_conflict(serializer)

    def _save_or_conflict(self, serializer):
        try:
            serializer.save()
        except IntegrityError:
            # full_clean() checked every rule; only a concurrent write can get here.
            raise Conflict(
                "Another write changed the data while this one was checked; "
                "reload the record and try again."
            ) from None

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            referring = (
                exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            )
            raise Conflict(
                f"{instance._meta.verbose_name.capitalize()} “{instance}” cannot be deleted: "
                f"it is still referred to by {describe_references(referring)}. "
                "Remove or reassign those first."
            ) from None


def _with_display_names(tree: dict) -> dict:
    """The field tree with ?lang='s display_name and country_name on every city."""
    tree = {
        name: _with_display_names(sub) if isinstance(sub, dict) else sub
        for name, sub in tree.items()
    }
    if "native_name" in tree and "slug" in tree:
        tree.setdefault("display_name", None)
        tree.setdefault("country_name", None)
    return tree


# ConditionalRequestMixin: ETag on detail routes, If-None-Match -> 304, stale If-Match -> 412.
# DataVersionETagMixin: ETag from the data version on lists, exports, facets, partners;
# If-None-Match -> 304 before the query (api/etags.py).
class ApiModelViewSet(
    ConditionalRequestMixin, DataVersionETagMixin, ApiViewSetMixin, viewsets.ModelViewSet
):
    """Read for anyone; create, update and delete with the model's permissions."""


def check_language_param(request) -> None:
    """?lang= names one of settings.LANGUAGES (or a variant, zh-CN); empty is not given.
    Checked on every read, also where no city is in the answer to name in it, so a
    wrong language is a 400 whichever record it was asked of."""
    raw = request.query_params.get("lang")
    if not raw or not raw.strip():
        return
    try:
        translation.get_supported_language_variant(raw.strip().lower())
    except LookupError:
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        raise serializers.ValidationError(
            {"lang": [f"Unknown language {raw!r}. Choose one of: {codes}."]}
        ) from None
