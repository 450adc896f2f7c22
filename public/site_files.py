"""The files a site answers at its root: /sitemap.xml (an index of paginated sitemaps),
/robots.txt (pointing to it) and /favicon.ico. Outside the language prefixes: one
address each, whatever the reader's language."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .sitemaps import SITEMAPS

#: Staff, API and write paths are not pages for a search engine to list.
DISALLOWED = ("/admin/", "/api/", "/suggest/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # A redirect, not a copy: the static file keeps its hashed name under the manifest
    # storage, and a temporary redirect lets a new icon replace it.
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        cache_control(max_age=3600, public=True)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_control(max_age=3600, public=True)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
