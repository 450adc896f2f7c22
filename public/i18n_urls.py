"""The same public page in each language: for hreflang links, the canonical link and
the language switch. Worked out from the URL resolver alone, with no query."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation


def is_public_path(path: str) -> bool:
    """Whether the path is one of the public pages (in any language)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.namespace == "public"


@dataclass(frozen=True)
class LanguageVersion:
    code: str  # settings.LANGUAGES code: "en", "zh-hans", "he"
    name: str  # the language's name in itself: "English", "简体中文", "עברית"
    url: str  # the page's address in that language, query string kept
    bidi: bool
    current: bool

    @property
    def hreflang(self) -> str:
        # BCP 47 as search engines read it: zh-Hans, not Django's lower-case zh-hans.
        return translation.to_locale(self.code).replace("_", "-")


def language_versions(request) -> list[LanguageVersion]:
    """The current page in every language of settings.LANGUAGES, current one included."""
    path = request.get_full_path()
    current = translation.get_language()
    # A page that resolves to nothing (a 404) has no version elsewhere: offer each
    # language's home page instead.
    found = is_public_path(request.path_info)
    versions = []
    for code, name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if code == current:
            url = path
        elif found:
            url = translate_url(path, code)
        else:
            with translation.override(code):
                url = reverse("public:home")
        versions.append(
            LanguageVersion(
                code=code,
                name=name,
                url=url,
                bidi=info["bidi"],
                current=code == current,
            )
        )
    return versions


def canonical_path(request) -> str:
    """The page's own address without the query string, except the page number: a
    filtered list's canonical page is the list itself."""
    path = request.path
    page = request.GET.get("page")
    if page and page.isdigit() and page != "1":
        path += f"?page={page}"
    return path
