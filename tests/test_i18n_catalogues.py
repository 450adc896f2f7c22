"""The translation catalogues are complete: every message the code and templates mark is
translated in every language, none fuzzy, the placeholders kept, and the committed .mo
files say what the .po files say.

The messages are extracted afresh with Django's makemessages (which needs GNU gettext's
xgettext), from a copy of the source folders, so the test never writes into the
checkout. Without gettext that one test is skipped with a reason; the others read the
catalogues with polib and run anywhere.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
# Every folder that may hold a marked string (Makefile's `messages` target scans the
# same tree, minus tests, benchmarks, fixtures and static files).
SOURCE_FOLDERS = [
    "templates",
    "public",
    "partnerships",
    "cities",
    "config",
    "ops",
    "changes",
    "suggestions",
    "api",
    "common",
]
CATALOGUES = {
    code: LOCALE / language / "LC_MESSAGES" / "django.po"
    for code, language in (("en", "en"), ("zh-hans", "zh_Hans"), ("he", "he"))
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str], polib.POEntry]:
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is missing: apt-get install -y gettext")
    work = tmp_path_factory.mktemp("messages")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    (work / "locale").mkdir()
    previous = Path.cwd()
    try:
        import os

        os.chdir(work)
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command("makemessages", locale=["en"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(previous)
    catalogue = polib.pofile(str(work / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return {_key(entry): entry for entry in catalogue}


def test_extraction_finds_the_pages_messages(extracted):
    # A sanity check on the extraction itself: strings from a template, a form and a
    # choice set are all found (an empty extraction would make the next test vacuous).
    assert ("", "How cities work together") in extracted
    assert ("", "All countries") in extracted
    assert ("", "twin cities") in extracted
    assert ("year-precision date", "%(year)s") in extracted


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_is_in_every_catalogue(extracted, language):
    catalogue = {_key(entry): entry for entry in polib.pofile(str(CATALOGUES[language]))}
    missing = sorted(key for key in extracted if key not in catalogue)
    assert missing == [], f"{language} lacks: {missing} (run `make messages`, then translate)"
    stale = sorted(
        key for key, entry in catalogue.items() if key not in extracted and not entry.obsolete
    )
    assert stale == [], f"{language} has messages no code uses: {stale} (run `make messages`)"


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    assert catalogue.fuzzy_entries() == []
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    for entry in catalogue:
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        assert all(form.strip() for form in forms), f"{language}: empty form for {entry.msgid!r}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_the_placeholders(language):
    for entry in polib.pofile(str(CATALOGUES[language])):
        allowed = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            used = set(PLACEHOLDER.findall(form))
            assert used <= allowed, f"{language}: {entry.msgid!r} -> {form!r}"
        if not entry.msgid_plural:
            # A singular message must use every placeholder it is given.
            assert set(PLACEHOLDER.findall(entry.msgstr)) == allowed, (language, entry.msgid)


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_committed_mo_file_matches_the_po_file(language):
    po_path = CATALOGUES[language]
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make compilemessages`"

    def translations(catalogue):
        return {
            _key(entry): (dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr)
            for entry in catalogue
            if entry.msgid
        }

    po = translations(polib.pofile(str(po_path)))
    mo = translations(polib.mofile(str(mo_path)))
    assert mo == {key: value for key, value in po.items()}, (
        f"{mo_path} is out of date: run `make compilemessages` and commit it"
    )
