from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "City partnerships: staff admin"
admin.site.site_title = "City partnerships admin"
admin.site.index_title = "Records"

# A database outage that surfaces outside a view still answers 503, not 500.
handler500 = "config.middleware.server_error"
# An address under /api/ that matches no route is a JSON 404, like the API's own.
handler404 = "config.middleware.page_not_found"

# The admin and the API are outside i18n_patterns: their addresses carry no language
# and they answer in English (the API's ?lang= only names places in a language).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    # /robots.txt, /favicon.ico and /sitemap.xml: one address each, in no language.
    path("", include("public.site_files")),
]
# The public pages in every language of settings.LANGUAGES: English at /cities/...,
# the others under their code (/zh-hans/cities/..., /he/cities/...).
urlpatterns += i18n_patterns(
    path("changes/", include("changes.urls")),
    path("suggest/", include("suggestions.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
