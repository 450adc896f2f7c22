"""GET /api/v1/changes/: every change to every record, in order, cursor-paged.

An analyst keeps a copy in sync without downloading everything again: read from the
start (or from `since`), apply each change (upsert `data` under (type, id), or delete
when `data` is null), and keep the answer's `cursor` for the next call.

Changes appear here `CHANGES_API_SETTLE_SECONDS` (default 60) after they were made:
a change is stamped when it is written but seen by others only when its transaction
commits, so a slow transaction (an import) could otherwise commit a change older
than a cursor a client already holds, and that client would never see it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from . import log
from .registry import KINDS

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
ACCEPTED_PARAMS = frozenset({"since", "page_size", "type", "format"})
BEGINNING = log.Position(dt.datetime(1, 1, 1, tzinfo=dt.UTC), 0, 0)
OPERATIONS = ["created", "changed", "deleted", "merged"]


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.CharField(
        help_text="Position of this change; pass it as ?since= to read what follows it."
    )
    time = serializers.DateTimeField(source="when", help_text="When the change was made.")
    type = serializers.ChoiceField(
        choices=[kind.name for kind in KINDS],
        help_text="Kind of record (through rows such as partnership-area are records too).",
    )
    id = serializers.IntegerField(source="object_id", help_text="The record's id.")
    operation = serializers.ChoiceField(
        choices=OPERATIONS,
        help_text="merged: written by a merge of two records (the one merged away has "
        "data null, the one kept has its new data).",
    )
    url = serializers.SerializerMethodField(help_text="The record's API address, if it has one.")
    page_url = serializers.SerializerMethodField(help_text="The record's public page, if any.")
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Fields (as in data) whose value this change set; empty for a deletion.",
    )
    reason = serializers.CharField(help_text="Why, as recorded with the change.")
    by = serializers.ChoiceField(choices=["staff", "import"], source="actor")
    data = serializers.DictField(
        allow_null=True,
        help_text="The record's fields after the change (foreign keys as ids); null when "
        "the change removed it.",
    )

    def _absolute(self, path):
        request = self.context.get("request")
        if path is None:
            return None
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, change) -> str | None:
        return self._absolute(change.api_url)

    def get_page_url(self, change) -> str | None:
        return self._absolute(change.page_url)


class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.CharField(
        help_text="Where this answer ends: the next call's ?since= (also when results is empty)."
    )
    next = serializers.URLField(
        allow_null=True, help_text="The next page, or null when this is the latest change."
    )
    results = ChangeSerializer(many=True)


EXAMPLE = OpenApiExample(
    "A link's status changed",
    response_only=True,
    value={
        "cursor": "MjAyNi0xMi0wMVQyMToxMjo1NS42ODQ5OTgrMDA6MDB8MnwxMg",
        "next": None,
        "results": [
            {
                "cursor": "MjAyNi0xMi0wMVQyMToxMjo1NS42ODQ5OTgrMDA6MDB8MnwxMg",
                "time": "2026-12-01T21:12:55.684998Z",
                "type": "partnership",
                "id": 1,
                "operation": "changed",
                "url": "https://example.org/api/v1/partnerships/1/",
                "page_url": "https://example.org/partnerships/1/",
                "changed_fields": ["status", "updated_at"],
                "reason": "Changed status in the admin.",
                "by": "staff",
                "data": {"id": 1, "city_a_id": 1, "city_b_id": 2, "status": "suspended"},
            }
        ],
    },
)


def _bad(name: str, message: str):
    return serializers.ValidationError({name: [message]})


class ChangeListView(APIView):
    """An APIView, not a list action: the answer is one object (cursor, next, results)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        summary="Every change, in order (for keeping a copy in sync)",
        description=(
            "Changes to every record, oldest first, from `since` on. Keep the answer's "
            "`cursor` and pass it as `since` next time; follow `next` while it is not "
            "null. Apply each change by upserting `data` under (`type`, `id`), or "
            "deleting (`type`, `id`) when `data` is null. Imports are listed record by "
            "record. A change appears here CHANGES_API_SETTLE_SECONDS (60) after it "
            "was made, so no slower transaction can commit one behind a cursor."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="A cursor from an earlier answer, or an ISO 8601 time or date "
                "(UTC when no zone is given; changes at that time are included). "
                "Omitted: from the first change.",
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                description="Only these kinds of record, comma-separated: "
                + ", ".join(kind.name for kind in KINDS),
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Changes per answer, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json"]),
        ],
        responses=ChangePageSerializer,
        examples=[EXAMPLE],
    )
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - ACCEPTED_PARAMS)
        if unknown:
            accepted = ", ".join(sorted(ACCEPTED_PARAMS))
            raise serializers.ValidationError(
                {name: [f"Unknown query parameter. Accepted here: {accepted}."] for name in unknown}
            )
        for name in params:
            if len(params.getlist(name)) > 1:
                raise _bad(name, "Give this parameter once.")
        page_size = self._page_size(params.get("page_size"))
        start = BEGINNING
        if params.get("since"):
            try:
                start = log.parse_since(params["since"])
            except ValueError:
                raise _bad(
                    "since", "Give a cursor from an earlier answer or an ISO 8601 time."
                ) from None
        types = None
        if params.get("type"):
            types = [name.strip() for name in params["type"].split(",") if name.strip()]
            known = {kind.name for kind in KINDS}
            wrong = [name for name in types if name not in known]
            if wrong or not types:
                raise _bad("type", f"Unknown type. Known: {', '.join(sorted(known))}.")
        settle = getattr(settings, "CHANGES_API_SETTLE_SECONDS", 60)
        scope = log.Scope(kinds=types, until=timezone.now() - dt.timedelta(seconds=settle))
        found = log.positions(scope, after=start, limit=page_size + 1)
        more = len(found) > page_size
        found = found[:page_size]
        changes = log.load(found)
        cursor = (found[-1] if found else start).encode()
        next_url = None
        if more:
            next_url = replace_query_param(request.build_absolute_uri(), "since", cursor)
        results = ChangeSerializer(changes, many=True, context={"request": request}).data
        return Response({"cursor": cursor, "next": next_url, "results": results})

    @staticmethod
    def _page_size(raw) -> int:
        if raw in (None, ""):
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise _bad("page_size", f"Give a whole number from 1 to {MAX_PAGE_SIZE}; got {raw!r}.")
        return size
