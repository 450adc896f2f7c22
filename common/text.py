"""Validators for text people type: names and titles, and language tags.

`NameTextValidator` refuses, in a one-line name or title, the characters that change
how the text looks without being part of it, or that are not text at all:

- control characters (category Cc: NUL, tab, newline, ESC, C1 controls, ...);
- format characters (category Cf): the bidi overrides, embeddings and isolates
  (U+202A-U+202E, U+2066-U+2069), the marks U+200E/U+200F/U+061C, the zero-width
  space U+200B, the byte-order mark U+FEFF, the soft hyphen U+00AD, the word joiner
  U+2060, tag characters, ... A name's direction is a field of its own, never a
  character inside it; these only serve display spoofing and look-alike duplicates.
  Two format characters are allowed, because real names need them: U+200C ZERO WIDTH
  NON-JOINER and U+200D ZERO WIDTH JOINER (Persian, e.g. "آیزن‌اشتات", and the Indic
  scripts, e.g. Bengali "র‍্যা", write words with them; the world data holds 25);
- the line and paragraph separators U+2028/U+2029, surrogates (Cs), private-use
  characters (Co) and the 66 noncharacters (U+FDD0-U+FDEF, U+xxFFFE/U+xxFFFF).

Unassigned code points are allowed: which ones are unassigned depends on the Unicode
version of the running Python, and a newly assigned letter must not be refused.

`strip_unsafe()` removes the same characters, for importers cleaning third-party data.

`LanguageTagValidator` accepts a BCP 47 (RFC 5646) tag whose subtags are in the IANA
registry, as `langcodes.tag_is_valid()` decides ("he", "zh-Hans", "sr-Latn-RS",
"de-CH-1996"); it refuses 'he"><script>' and well-formed tags of unregistered subtags
("xx").
"""

from __future__ import annotations

import re
import unicodedata

import langcodes
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

ALLOWED_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def is_unsafe_character(char: str) -> bool:
    """True for a character a name or title may not hold (see the module's docstring)."""
    if char in ALLOWED_FORMAT_CHARACTERS:
        return False
    return unicodedata.category(char) in _REFUSED_CATEGORIES or is_noncharacter(char)


def unsafe_characters(value: str) -> list[str]:
    """The distinct refused characters of `value`, in order of first appearance."""
    seen: dict[str, None] = {}
    for char in value:
        if char not in seen and is_unsafe_character(char):
            seen[char] = None
    return list(seen)


def strip_unsafe(value: str) -> str:
    """`value` without its refused characters."""
    if not any(is_unsafe_character(char) for char in value):
        return value
    return "".join(char for char in value if not is_unsafe_character(char))


def strip_refused_in(model, fields: tuple[str, ...]) -> list[int]:
    """For data migrations: remove the refused characters from `fields` of every stored
    row of `model` that has any (runs of white space left behind made one space).
    Rows are read first, then written (no update under an open cursor). Returns the
    primary keys of the rows changed."""
    changes = []
    for pk, *values in model.objects.order_by("pk").values_list("pk", *fields).iterator():
        cleaned = {
            field: " ".join(strip_unsafe(value).split())
            for field, value in zip(fields, values, strict=True)
            if value != strip_unsafe(value)
        }
        if cleaned:
            changes.append((pk, cleaned))
    for pk, cleaned in changes:
        model.objects.filter(pk=pk).update(**cleaned)
    return [pk for pk, _cleaned in changes]


def describe_character(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'; a character without a name is its code alone."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} ({name})" if name else code


@deconstructible
class NameTextValidator:
    message = (
        "Remove the invisible or control character(s) %(characters)s: a name or title "
        "may not contain them."
    )
    code = "unsafe_character"

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = unsafe_characters(value)
        if found:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"characters": ", ".join(describe_character(c) for c in found[:5])},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NameTextValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class LanguageTagValidator:
    message = (
        "%(value)s is not a BCP 47 language tag of registered subtags; "
        "write e.g. zh, zh-Hans, he, de-CH."
    )
    code = "invalid_language_tag"

    def __call__(self, value) -> None:
        if not isinstance(value, str) or value == "":
            return
        if not is_language_tag(value):
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise ValidationError(self.message, code=self.code, params={"value": repr(shown)})

    def __eq__(self, other) -> bool:
        return isinstance(other, LanguageTagValidator)

    def __hash__(self) -> int:
        return hash(type(self))


# RFC 5646's alphabet: ASCII letters and digits in hyphen-separated subtags.
# langcodes also reads "he_IL" (a POSIX locale) as a tag; BCP 47 does not.
_TAG_SHAPE = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")


def is_language_tag(value: str) -> bool:
    return bool(_TAG_SHAPE.match(value)) and langcodes.tag_is_valid(value)


name_text_validator = NameTextValidator()
language_tag_validator = LanguageTagValidator()
