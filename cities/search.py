"""City search: what people type finds the city. The one rule behind the API's ?search=,
the site's search and city list, the admin, and links/offices found by their cities.

- Accents and case do not count, either way: "Sao Paulo" finds São Paulo, "Zürich"
  finds a city stored as "Zurich", "Koln" finds Köln. Names in Latin, Cyrillic or
  Greek letters are also stored transliterated (Łódź → lodz, Москва → moskva).
- Words, not one raw substring: every word typed must be found in the city's names,
  in any order ("petersburg st" finds St Petersburg); a word that begins a word of a
  name ranks above one found inside a word ("aif" still finds Haifa, after "Aifa").
  "St", "Ste", "Mt", "Ft" also match Saint, Sankt, Sainte, Mount, Fort.
- A typo is forgiven: a word of four letters or more also matches a stored word close
  to it ("Bejing", "Beijnig" find Beijing): pg_trgm's word_similarity on PostgreSQL,
  rapidfuzz's ratio on SQLite (a function registered on each connection). Both are
  pinned by the same tests; at the edges the two measures may disagree.
- Every name a city has: its English name, its native name, its slug, its region is
  not a name (left out), and every CityName in any language.
- Ranked: a city one of whose names is exactly what was typed comes first, then a name
  that begins with it, then cities where every word typed begins a word, then the
  rest (typos, words found inside words); within each, the larger population first.

The names are kept, folded, in `City.search_text` ("| sao paulo | são paulo |"), filled
by City.save(), CityName.save()/delete() and the importer (`refresh_search_text`), so a
search is a LIKE on one column, in the same one query as before (on PostgreSQL a
trigram index, cities/migrations/0004_search.py, serves LIKE and word_similarity).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, TextField, Value, When
from rapidfuzz import fuzz, process
from unidecode import unidecode

# Abbreviations people type for a word of a name.
ABBREVIATIONS = {
    "st": ("saint", "sankt", "san", "santo", "santa", "sint"),
    "ste": ("sainte",),
    "mt": ("mount", "monte"),
    "ft": ("fort",),
}
TYPO_MIN_LENGTH = 4
TYPO_SCORE = 80
#: pg_trgm's word_similarity for a typo on PostgreSQL ("beijnig" in "beijing": 0.5).
PG_WORD_SIMILARITY = 0.5

_NON_WORD = re.compile(r"[\W_]+")
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation to spaces: "Saint-Étienne" → "saint etienne"."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


def _transliterable(text: str) -> bool:
    """Latin, Cyrillic or Greek letters only: scripts whose transliteration people type."""
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith(("LATIN", "CYRILLIC", "GREEK")):
            return False
    return True


def name_forms(name: str) -> list[str]:
    """The folded forms a name is found by: itself, and its transliteration if it differs."""
    folded = fold(name)
    if not folded:
        return []
    forms = [folded]
    if _transliterable(folded):
        ascii_form = fold(unidecode(folded))
        if ascii_form and ascii_form != folded:
            forms.append(ascii_form)
    return forms


def search_text(names: Iterable[str]) -> str:
    """The stored column: each distinct folded form between bars, "| beijing | 北京 |"."""
    forms: list[str] = []
    for name in names:
        for form in name_forms(name):
            if form not in forms:
                forms.append(form)
    return "|" + "|".join(f" {form} " for form in forms) + "|" if forms else ""


def city_search_text(city, other_names: Iterable[str] = ()) -> str:
    return search_text([city.name, city.native_name, city.slug.replace("-", " "), *other_names])


def refresh_search_text(city_ids: Iterable[int] | None = None) -> int:
    """Recompute `search_text` of these cities (all when None) from their names; for
    writes that bypass City.save() (the importer's bulk writes, CityName edits)."""
    from cities.models import City, CityName

    cities = City.objects.order_by()
    if city_ids is not None:
        city_ids = list(city_ids)
        if not city_ids:
            return 0
    others: dict[int, list[str]] = defaultdict(list)
    rows = []
    chunk = 900  # under SQLite's bound-parameter limit
    id_chunks = (
        [city_ids[i : i + chunk] for i in range(0, len(city_ids), chunk)]
        if city_ids is not None
        else [None]
    )
    for ids in id_chunks:
        names = CityName.objects.order_by("pk")
        found = cities
        if ids is not None:
            names, found = names.filter(city_id__in=ids), found.filter(pk__in=ids)
        for city_id, name in names.values_list("city_id", "name"):
            others[city_id].append(name)
        for pk, name, native, slug, stored in found.values_list(
            "pk", "name", "native_name", "slug", "search_text"
        ):
            text = search_text([name, native, slug.replace("-", " "), *others.get(pk, ())])
            if text != stored:
                rows.append((text, pk))
    if rows:
        table = connection.ops.quote_name(City._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET search_text = %s WHERE id = %s", rows)
    return len(rows)


# -- keeping search_text ----------------------------------------------------------------
# City.save() fills it; these receivers (connected in cities.apps) cover what save()
# does not see: a fixture loaded with loaddata (raw saves) and a CityName added,
# changed or removed.


def city_pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        other = list(instance.names.values_list("name", flat=True)) if instance.pk else []
        instance.search_text = city_search_text(instance, other)


def city_name_changed(sender, instance, **kwargs):
    refresh_search_text([instance.city_id])


# -- typo tolerance ------------------------------------------------------------------


def sqlite_typo_match(text: str | None, word: str) -> int:
    """SQLite's city_typo(search_text, word): 1 when a stored word is within a typo of
    `word` (rapidfuzz ratio >= 80: "bejing"/"beijing" 92, "beijnig"/"beijing" 86)."""
    if not text:
        return 0
    found = process.extractOne(word, text.split(), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return 1 if found else 0


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver (cities.apps): SQLite learns city_typo()."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function("city_typo", 2, sqlite_typo_match, deterministic=True)


class TypoMatch(Func):
    """True when a word of `search_text` is a typo away from `word`: pg_trgm's
    word_similarity on PostgreSQL (served by the trigram index), rapidfuzz on SQLite."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra):
        text, word = self.source_expressions
        text_sql, text_params = compiler.compile(text)
        word_sql, word_params = compiler.compile(word)
        if connection.vendor == "postgresql":
            sql = f"word_similarity({word_sql}, {text_sql}) >= {PG_WORD_SIMILARITY}"
            return sql, (*word_params, *text_params)
        return f"city_typo({text_sql}, {word_sql})", (*text_params, *word_params)


def typo_q(word: str, prefix: str = "") -> Q | None:
    if len(word) < TYPO_MIN_LENGTH or _SPACELESS.search(word):
        return None
    return Q(TypoMatch(F(f"{prefix}search_text"), Value(word, output_field=TextField())))


# -- the rule --------------------------------------------------------------------------


def search_q(term: str, prefix: str = "") -> Q:
    """The cities (reached through `prefix`, e.g. "city_a__") that `term` finds."""
    field = f"{prefix}search_text__contains"
    words = fold(term).split()
    if not words:
        return Q(**{f"{prefix}pk__in": []})
    match = Q()
    for word in words:
        either = Q(**{field: word})
        for long_form in ABBREVIATIONS.get(word, ()):
            either |= Q(**{field: f" {long_form} "})
        typo = typo_q(word, prefix)
        if typo is not None:
            either |= typo
        match &= either
    return match


def _word_starts(word: str) -> Q:
    if _SPACELESS.search(word):
        return Q(search_text__contains=word)
    starts = Q(search_text__contains=f" {word}")
    for long_form in ABBREVIATIONS.get(word, ()):
        starts |= Q(search_text__contains=f" {long_form} ")
    return starts


def rank(term: str) -> Case | Value:
    """0: a name is exactly the term; 1: a name begins with it; 2: every word typed
    begins a word of a name; 3: the rest (typos, words inside words)."""
    folded = fold(term)
    if not folded.split():
        # Nothing left to rank by (a term of punctuation only, which finds no city).
        return Value(3, output_field=IntegerField())
    every_word = Q()
    for word in folded.split():
        every_word &= _word_starts(word)
    return Case(
        When(search_text__contains=f"| {folded} |", then=Value(0)),
        When(search_text__contains=f"| {folded}", then=Value(1)),
        When(every_word, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


#: How close (rapidfuzz's ratio, 0-100) a stored name must be to be offered as
#: "did you mean" when a search finds no city.
SUGGESTION_SCORE = 70
SUGGESTION_MIN_LENGTH = 3


def closest_name(term: str, rows: Iterable[tuple[str, str]]) -> str | None:
    """The city name closest to what was typed, for "did you mean": rows are
    (name, search_text) pairs; every stored folded form of a city is compared with the
    folded term (rapidfuzz's ratio over the whole name, so a short word does not
    "match" inside a long name), and the best one's city name returned, if close."""
    folded = fold(term)
    if len(folded) < SUGGESTION_MIN_LENGTH:
        return None
    names: list[str] = []
    forms: list[str] = []
    for name, text in rows:
        for form in (text or "").split("|"):
            form = form.strip()
            if form:
                names.append(name)
                forms.append(form)
    best = process.extractOne(folded, forms, scorer=fuzz.ratio, score_cutoff=SUGGESTION_SCORE)
    return names[best[2]] if best else None
