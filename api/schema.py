"""The OpenAPI schema class of the API (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

drf-spectacular documents only the success response of each operation. Clients
(and the schemathesis run in tests/test_fuzz_api.py) must also know the errors the
API really gives, so each operation lists them here with their JSON body:

- 400 a bad filter, page size or payload (body: {field: [messages]} or {"detail"});
- 401 a wrong or missing token on a write, or any request with a wrong token;
- 403 a signed-in user without the model permission;
- 404 no such record, or a page past the end;
- 409 a delete of a record others point at, or a write that lost a race;
- 411 a write whose body comes chunked, without Content-Length;
- 413 a body over DATA_UPLOAD_MAX_MEMORY_SIZE;
- 414 a request line over 64 KB (answered by the server, granian, with no body);
- 429 throttled;
- 503 the database is unavailable (with Retry-After).

Exports are documented in their own shapes: `?format=csv` is text, and
`?format=geojson` a GeoJSON FeatureCollection (lists) or Feature (one record),
not the JSON object schema drf-spectacular would otherwise repeat for them.

Lists, exports, facets, partners and the network's answers document their ETag
(api/etags.py): the `If-None-Match` header, the 304 and the `ETag` response header.

An empty query parameter (`?kind=`, `?started_before=`, `?format=`: what the browsable
API's filter form sends for a field left blank) is the parameter not given, for every
optional parameter alike (api/filters.py): each one's schema says so, an empty string
being one of its values (`allow_empty()`), so a client, or schemathesis, reads from the
schema what the API does.

It also says that reads need no authentication (DjangoModelPermissionsOrAnonReadOnly,
which drf-spectacular does not recognise on its own): `security: []` on every GET.
"""

from __future__ import annotations

import copy

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from .concurrency import ConditionalAutoSchema
from .etags import DataVersionETagMixin
from .fastread import FIELDS_OPENAPI_PARAMETER

#: The reads that take ?fields= (a sparse fieldset, api.fastread).
SPARSE_ACTIONS = {"list", "retrieve", "partners"}

ERROR_BODY = {
    "type": "object",
    "description": 'Either {"detail": "..."} or, for invalid input, {"field": ["message", ...]}.',
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "Invalid input: a bad filter, page, page size or payload; the body names the field.",
    "401": "Authentication failed: a wrong token, or none given for a write.",
    "403": "Signed in, but without permission for this write.",
    "404": "No such record, or a page past the last one.",
    "409": "Conflict: the record is still referred to, or another write got there first.",
    "411": "A body sent without Content-Length (chunked): send its length.",
    "413": "Request body too large.",
    "414": (
        "Request line too long: over 64 KB (answered by the server before the"
        " application, with no body)."
    ),
    "429": "Too many requests; retry after the time given in Retry-After.",
    "503": "The database is temporarily unavailable; retry after Retry-After seconds.",
}

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

GEOJSON_FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": {
            "description": "A GeoJSON Point [longitude, latitude] (a city) or LineString "
            "(a link, from one city to the other); null when a place has no coordinates.",
        },
        "properties": {"type": "object", "additionalProperties": True},
    },
}
GEOJSON_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": GEOJSON_FEATURE},
    },
}
CSV_TEXT = {"type": "string", "description": "CSV with a header row."}
NDJSON_TEXT = {
    "type": "string",
    "description": "Newline-delimited JSON: one object per line, each as the JSON list shows it.",
}


LANG_PARAMETER = OpenApiParameter(
    name="lang",
    type=str,
    location=OpenApiParameter.QUERY,
    required=False,
    enum=[code for code, _name in settings.LANGUAGES],
    description=(
        "Name places for readers of this language. Without it the API is language-neutral "
        "(country codes and stored names). With it, every city in the answer also carries "
        "`display_name` (its name in that language where the record has one, e.g. 北京 for "
        "lang=zh-hans, else the English name) and `country_name` (the country's name in that "
        "language). zh-CN and zh also mean zh-hans; an unknown language is a 400."
    ),
)


EMPTY_STRING = {"type": "string", "maxLength": 0}


NO_NUL = "^[^\\u0000]*$"


def plain_text_limits(name: str, schema: dict) -> dict:
    """A free-text parameter's limits as the request middleware applies them: no NUL
    character (a 400 for any parameter), and `search` at most SEARCH_MAX_LENGTH long."""
    if schema.get("type") != "string" or {"enum", "pattern", "format"} & set(schema):
        return schema
    schema = {**schema, "pattern": NO_NUL}
    if name in ("search", "q"):
        schema["maxLength"] = settings.SEARCH_MAX_LENGTH
    return schema


def allow_empty(schema: dict) -> dict:
    """`schema` with the empty string among its values: in an enum, a pattern's
    alternative, or (a number, a boolean, a formatted string) one branch of anyOf."""
    schema = copy.deepcopy(schema)
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema["items"] = allow_empty(schema["items"])  # ?country= is one empty item
        return schema
    if schema.get("type") == "string" and "format" not in schema:
        if "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        if "pattern" in schema:
            schema["pattern"] = f"^$|{schema['pattern']}"
        schema.pop("minLength", None)
        return schema
    return {"anyOf": [schema, EMPTY_STRING]}


class ApiAutoSchema(ConditionalAutoSchema):
    def _uses_data_version_etags(self) -> bool:
        if self.method != "GET" or not isinstance(self.view, DataVersionETagMixin):
            return False
        action = getattr(self.view, "action", None)
        return action is None or action in self.view.data_version_etag_actions

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") != "query":
                continue
            schema = plain_text_limits(parameter["name"], parameter.get("schema", {}))
            if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
                schema = {**schema, "items": plain_text_limits("", schema["items"])}
            parameter["schema"] = schema
            if not parameter.get("required"):
                parameter["schema"] = allow_empty(parameter["schema"])
                note = "Empty is the parameter not given."
                description = parameter.get("description", "")
                if note not in description:
                    parameter["description"] = f"{description} {note}".strip()
        return parameters

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        common = getattr(self.view, "common_query_params", ())
        if self._uses_data_version_etags():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="ETags of earlier answers to this request: 304 if the "
                    "data has not changed since (weak comparison, a list or *).",
                ),
            ]
        if self.method == "GET" and LANG_PARAMETER.name in common:
            parameters = [*parameters, LANG_PARAMETER]
        if (
            self.method == "GET"
            and FIELDS_OPENAPI_PARAMETER.name in common
            and getattr(self.view, "action", None) in SPARSE_ACTIONS
        ):
            parameters = [*parameters, FIELDS_OPENAPI_PARAMETER]
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(
                permission,
                (
                    permissions.DjangoModelPermissionsOrAnonReadOnly,
                    permissions.AllowAny,
                    permissions.IsAuthenticatedOrReadOnly,
                ),
            )
            for permission in self.view.get_permissions()
        )
        if anonymous_reads and self.method in permissions.SAFE_METHODS:
            # Reads need no authentication: an empty list, which generated clients
            # (openapi-python-client) read as "a plain Client will do". Optional auth
            # ([{}, {tokenAuth: []}]) is read as required. A token is still accepted.
            return []
        return auths

    def error_codes(self) -> list[str]:
        codes = ["400", "401", "404", "414", "429", "503"]
        if self.method in WRITES:
            codes += ["403", "409", "411", "413"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._uses_data_version_etags():
            responses.setdefault("304", {"description": "Not modified: If-None-Match matched."})
        for response in responses.values():
            self._document_export_shapes(response.get("content") or {})
        for code in self.error_codes():
            response = {"description": DESCRIPTIONS[code]}
            if code != "414":  # the server's 414 has no body
                response["content"] = {"application/json": {"schema": ERROR_BODY}}
            responses.setdefault(code, response)
        return responses

    def _document_export_shapes(self, content: dict) -> None:
        if "text/csv" in content:
            content["text/csv"] = {"schema": CSV_TEXT}
        if "application/x-ndjson" in content:
            content["application/x-ndjson"] = {"schema": NDJSON_TEXT}
        if "application/geo+json" in content:
            json_schema = (content.get("application/json") or {}).get("schema") or {}
            many = self.method == "GET" and (
                self._is_list_view()
                or json_schema.get("type") == "array"
                or "Paginated" in json_schema.get("$ref", "")
            )
            content["application/geo+json"] = {
                "schema": GEOJSON_COLLECTION if many else GEOJSON_FEATURE
            }

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if self._uses_data_version_etags() and str(status_code) in {"200", "304"}:
            headers = dict(headers or {})
            headers.setdefault(
                "ETag",
                {
                    "schema": {"type": "string"},
                    "description": "Weak; changes with any edit of the data (api/etags.py).",
                },
            )
        return headers


def refuse_unknown_body_fields(result, generator, request, public):
    """Postprocessing hook: a request body's object schema says
    `additionalProperties: false`, as api.serializers.StrictModelSerializer answers an
    unknown field with a 400 naming the writable ones."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component.setdefault("additionalProperties", False)
    return result
