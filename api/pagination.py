"""Page-number pagination with a strict `page_size`."""

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def with_unique_order(queryset: QuerySet) -> QuerySet:
    """The queryset's order with the primary key last, so pages never overlap.

    Sorting by a column with ties (many Springfields, many links of one kind) leaves
    the order of the tied rows to the database, which may differ from one OFFSET to
    the next: a row then shows on two pages and another on none.
    """
    query = queryset.query
    order = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if any(str(term).lstrip("-") in ("pk", "id") for term in order):
        return queryset
    return queryset.order_by(*order, "pk")


class ApiPageNumberPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page_size=` from 1 to 500.

    DRF quietly caps an oversized page_size and ignores a malformed one; here either
    is a 400 naming `page_size`, so a script asking for 1,000 rows learns it gets
    500 rather than silently missing half. For every row at once, use ?format=csv.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = (
        f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). "
        "A larger value is a 400; use ?format=csv to export every row."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = None
        if size is None or not 1 <= size <= self.max_page_size:
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}; got {raw!r}."
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        # The schema states the limits get_page_size() enforces, so a client (or
        # schemathesis) knows 0 and 501 are refused.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    **parameter["schema"],
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters

    def page_ids(self, queryset: QuerySet, request, view=None) -> list:
        """The primary keys of the requested page, in order (a count and one query on
        the ids alone); a page past the end is a 404, as DRF answers it."""
        ids = with_unique_order(queryset).prefetch_related(None).values_list("pk", flat=True)
        return list(super().paginate_queryset(ids, request, view))

    def paginate_queryset(self, queryset, request, view=None):
        """Page by ids first, then fetch the page's rows with their joins.

        Counting and slicing run on the ids alone (indexed columns, no joins); only
        the page's rows are then read with their cities and prefetched lists. A page
        of links filtered by country on either side would otherwise join both cities
        for every matching link before sorting them to keep a hundred.
        """
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        page = self.page_ids(queryset, request, view)
        page_rows = getattr(view, "page_rows", None)
        rows_queryset = (
            page_rows(queryset, page) if page_rows else queryset.order_by().filter(pk__in=page)
        )
        rows = {row.pk: row for row in rows_queryset}
        self.page.object_list = [rows[pk] for pk in page if pk in rows]
        return list(self.page.object_list)
