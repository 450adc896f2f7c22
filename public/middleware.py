"""The reader's language on a first visit.

English pages live at unprefixed addresses (/cities/...), so Django's LocaleMiddleware
serves them in English whatever the browser asks for: a link shared in English stays
English. The first time a browser comes to such a page, though, with no language cookie
yet, and its Accept-Language prefers one of the site's other languages, it is sent once
to that language's address of the same page (/zh-hans/cities/..., /he/cities/...). The
cookie then remembers that the reader has been here, so choosing "English" in the
language switch afterwards is never overridden.

Only GET/HEAD requests for the public pages are concerned: the admin, the API, static
files and forms are left alone. No query is run.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .i18n_urls import is_public_path


class FirstVisitLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        first_visit = (
            request.method in ("GET", "HEAD")
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            # The API is no public page: no need to resolve its address to know.
            and not request.path_info.startswith("/api/")
            and is_public_path(request.path_info)
        )
        if not first_visit:
            return self.get_response(request)

        served = translation.get_language()
        wanted = self._accepted_language(request)
        if (
            wanted
            and wanted != served
            and translation.get_language_from_path(request.path_info) is None
        ):
            target = translate_url(request.get_full_path(), wanted)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                self._remember(response, wanted)
                return response

        response = self.get_response(request)
        if response.status_code == 200:
            self._remember(response, served)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _accepted_language(request) -> str | None:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if not header:
            return None
        # The best of settings.LANGUAGES for the header (zh-CN -> zh-hans, he-IL -> he);
        # the cookie is absent, so only the header decides.
        for accept_lang, _quality in translation.trans_real.parse_accept_lang_header(header):
            if accept_lang == "*":
                break
            try:
                return translation.get_supported_language_variant(accept_lang)
            except LookupError:
                continue
        return None

    @staticmethod
    def _remember(response, language: str) -> None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
