"""The API's JSON parser, with a limit on nesting.

No record of this API nests more than a few levels (a link with its areas and
sources); a body of a thousand nested arrays is never a record, and it made
Python's recursive parsing and validation raise RecursionError (a 500). Bodies
nested deeper than MAX_DEPTH are a 400 before any serializer sees them.
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(value, limit: int) -> int:
    """How deep lists and objects nest in `value`, counting stops past `limit`.
    Iterative, so it cannot itself run out of stack."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            depth = MAX_DEPTH + 1
        else:
            depth = nesting_depth(data, MAX_DEPTH)
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.")
        return data
