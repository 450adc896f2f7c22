"""The home map's data: every linked city and link of the world, as compact JSON.

The home page names this URL with the current version token in it
(maps.world_map_version): under that token the answer does not change, so the
browser keeps it for a day; a page with an older token gets today's data, not to be
kept. Three queries when the built map is cached (the headline figures, whose
fingerprint is part of the token), two more to build it.
"""

from django.http import HttpResponse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from . import selectors
from .maps import cached_world_map_json, world_map_version

CURRENT_MAX_AGE = 24 * 60 * 60


@require_safe
@gzip_page
def world_map_json(request, version: str):
    current = world_map_version(selectors.headline_figures().fingerprint)
    response = HttpResponse(cached_world_map_json(current), content_type="application/json")
    if version == current:
        response["Cache-Control"] = f"public, max-age={CURRENT_MAX_AGE}"
    else:
        response["Cache-Control"] = "no-cache"
    return response
