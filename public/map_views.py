"""The home map's data: every linked city and link of the world, as compact JSON.

The home page names this URL with the current version token in it
(maps.world_map_version): under that token the answer does not change, so the
browser keeps it for a day; a page with an older token gets today's data, not to be
kept. Three queries when the built map is cached (the headline figures, whose
fingerprint is part of the token), two more to build it.
"""

import re

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from . import selectors
from .maps import cached_world_map_json, world_map_version

CURRENT_MAX_AGE = 24 * 60 * 60
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@require_safe
def world_map_json(request, version: str):
    current = world_map_version(selectors.headline_figures().fingerprint)
    plain, gzipped = cached_world_map_json(current)
    # Compressed once when built (about a third of the size), not on every request.
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(gzipped, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    if version == current:
        response["Cache-Control"] = f"public, max-age={CURRENT_MAX_AGE}"
    else:
        response["Cache-Control"] = "no-cache"
    return response
