"""City names in the reader's language: the one place that chooses them.

Today a city has its English `name` and one `native_name` with its language tag
(`native_name_language`: "zh", "he", ...). A reader of the Chinese pages sees 北京 for
Beijing, a reader of the Hebrew pages תל אביב-יפו for Tel Aviv, everyone else the English
name. The public pages (public/) and the API's ?lang= (cities/api/serializers.py)
both ask here.

The hook for names in more languages (a `CityName` model: city, language, name,
source): prefetch a city's names into a dict on the instance, language code -> name,

    cities = City.objects.prefetch_related(Prefetch("names", to_attr="name_list"))
    for city in cities: city.names_by_language = {n.language: n.name for n in city.name_list}

(or any equivalent set once per row), and `display_name` consults it first with the
same language matching. Rows read as dicts (the city page's partner table) pass the
same dict as `names=`. No function here runs a query: a name that is not already on
the row is never looked up.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation

# Chinese tags that name Traditional script; a Simplified-Chinese reader is not shown
# a name written in them (nor a Traditional reader a Simplified one, once we have one).
_TRADITIONAL = {"hant", "tw", "hk", "mo"}
_SIMPLIFIED = {"hans", "cn", "sg", "my"}


def _script_family(tag: str) -> str | None:
    """For Chinese tags, "hans" or "hant" when the tag says which; None when it does not."""
    subtags = set(tag.split("-")[1:])
    if subtags & _TRADITIONAL:
        return "hant"
    if subtags & _SIMPLIFIED:
        return "hans"
    return None


def language_matches(name_language: str, reader_language: str) -> bool:
    """Whether a name tagged `name_language` ("zh", "zh-Hans", "he-IL") suits a reader of
    `reader_language` (a settings.LANGUAGES code: "zh-hans", "he", "en").

    The primary language must be the same; for Chinese, a name whose tag names a script
    must be in the reader's script (a bare "zh" is taken as the reader's own).
    """
    name_tag = (name_language or "").strip().lower().replace("_", "-")
    reader_tag = (reader_language or "").strip().lower().replace("_", "-")
    if not name_tag or not reader_tag:
        return False
    if name_tag.split("-")[0] != reader_tag.split("-")[0]:
        return False
    if reader_tag.split("-")[0] == "zh":
        name_script, reader_script = _script_family(name_tag), _script_family(reader_tag)
        return name_script is None or reader_script is None or name_script == reader_script
    return True


def choose_name(
    *,
    name: str,
    native_name: str = "",
    native_name_language: str = "",
    language: str | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """The name to show a reader of `language` (default: the active language), with
    the language tag of that name: ("北京", "zh"), or ("Beijing", "en")."""
    language = language or translation.get_language() or ""
    if names:
        for tag, localized in names.items():
            if localized and language_matches(tag, language):
                return localized, tag
    if native_name and language_matches(native_name_language, language):
        return native_name, native_name_language
    # The stored `name` is the common English name (cities.City.name's help text).
    return name, "en"


def display_name_and_language(city, language: str | None = None) -> tuple[str, str]:
    """A City's name for a reader of `language`, with that name's language tag."""
    return choose_name(
        name=city.name,
        native_name=city.native_name,
        native_name_language=city.native_name_language,
        language=language,
        names=getattr(city, "names_by_language", None),
    )


def display_name(city, language: str | None = None) -> str:
    """A City's name for a reader of `language` (default: the active language)."""
    return display_name_and_language(city, language)[0]


def secondary_name(city, language: str | None = None) -> tuple[str, str]:
    """What to show beside the display name, as (text, language tag): the native name
    when the display name is another, else the English name (a Chinese reader of 北京
    is also told "Beijing"). ("", "") when there is nothing else to say."""
    shown = display_name(city, language)
    if city.native_name and city.native_name != shown:
        return city.native_name, city.native_name_language or "und"
    if city.name != shown:
        return city.name, "en"
    return "", ""
