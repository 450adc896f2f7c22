"""Conditional requests on API detail routes: ETag, If-None-Match, If-Match.

The ETag is a hash of the record's JSON representation, so it changes whenever
anything the client sees changes (including a related city's name shown inside a
partnership), and only then. It is computed from the record as stored on every
request, never cached, so it cannot be stale and carries no data version (which
would turn every unrelated edit into a 412); an answer cached with its ETag is
keyed on the data version by the response cache.

- GET with `If-None-Match: <etag>` -> 304 Not Modified, no body.
- PUT / PATCH / DELETE with `If-Match: <etag>` -> proceeds only if the record still
  has that ETag; otherwise 412 Precondition Failed and nothing is written. The check
  and the write run in one transaction with the row locked (SELECT ... FOR UPDATE on
  PostgreSQL), so two clients holding the same ETag cannot both win.
- Without `If-Match` a write proceeds as before (the header is optional), but still
  with the row locked for the read-modify-write: two PATCHes of different fields
  at the same moment both keep their change (the second reads the row after the
  first committed), rather than the later one writing back the old value of the
  field the earlier one set. On SQLite the lock is the database's own write lock,
  taken at the start of the transaction (`transaction_mode: IMMEDIATE`).
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

WRITE_METHODS = {"PUT", "PATCH", "DELETE"}


def etag_of(data) -> str:
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32] + '"'


def parse_etags(header: str) -> list[str]:
    """The entity tags of an If-Match / If-None-Match header ("*" stays "*")."""
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def strong_match(header: str, etag: str) -> bool:
    """If-Match uses the strong comparison: a weak tag (W/"...") never matches."""
    tags = parse_etags(header)
    return "*" in tags or etag in tags


def weak_match(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x"."""
    tags = [tag.removeprefix("W/") for tag in parse_etags(header)]
    return "*" in tags or etag in tags


class ConditionalRequestMixin:
    """For a ModelViewSet: ETag on retrieve/update, 304 and 412 as described above."""

    def current_etag(self, instance) -> str:
        return etag_of(self.get_serializer(instance).data)

    def retrieve(self, request, *args, **kwargs):
        # A view may build the record's data its own way (api.base: the fast read path).
        retrieve_data = getattr(self, "retrieve_data", None)
        data = retrieve_data() if retrieve_data else self.get_serializer(self.get_object()).data
        etag = etag_of(data)
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and weak_match(if_none_match, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.lock_record()
            refusal = self.check_if_match(request)
            if refusal is not None:
                return refusal
            response = super().update(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK and response.data is not None:
            response["ETag"] = etag_of(response.data)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.lock_record()
            refusal = self.check_if_match(request)
            if refusal is not None:
                return refusal
            return super().destroy(request, *args, **kwargs)

    def lock_record(self) -> None:
        """Lock the record's row until the transaction ends (call inside atomic()).

        Every later read in the transaction (get_object() in the check and in the
        update) sees the row as the last committed write left it, and the next
        writer waits for this transaction. A 404 or 403 is raised here as usual."""
        instance = self.get_object()
        list(
            type(instance)
            ._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("pk", flat=True)
        )

    def check_if_match(self, request) -> Response | None:
        """A 412 response if If-Match names another version than the current one
        (called with the row locked, see lock_record)."""
        if_match = request.headers.get("If-Match")
        if if_match is None:
            return None
        etag = self.current_etag(self.get_object())
        if strong_match(if_match, etag):
            return None
        return Response(
            {
                "detail": "The record has changed since you fetched it (If-Match does not "
                "match its current ETag). Fetch it again, reapply your change and send "
                "the new ETag in If-Match."
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": etag},
        )


class ConditionalAutoSchema(AutoSchema):
    """Documents the headers and status codes above for views using the mixin."""

    def _uses_conditional_requests(self) -> bool:
        return isinstance(self.view, ConditionalRequestMixin) and getattr(
            self.view, "action", None
        ) in {"retrieve", "update", "partial_update", "destroy"}

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self._uses_conditional_requests():
            return parameters
        if self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An ETag from an earlier response: 304 if the record still has it.",
                )
            )
        elif self.method in WRITE_METHODS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The ETag of the version you edited: 412 if the record "
                    "has changed since (nothing is written).",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not self._uses_conditional_requests():
            return responses
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified: If-None-Match matched."})
        elif self.method in WRITE_METHODS:
            responses.setdefault(
                "412",
                {
                    "description": "Precondition failed: If-Match does not match the "
                    "record's current ETag; nothing was written.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"detail": {"type": "string"}},
                                "required": ["detail"],
                            }
                        }
                    },
                },
            )
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if self._uses_conditional_requests() and str(status_code) in {"200", "304", "412"}:
            headers = dict(headers or {})
            headers.setdefault(
                "ETag",
                {"schema": {"type": "string"}, "description": "The record's current version."},
            )
        return headers
