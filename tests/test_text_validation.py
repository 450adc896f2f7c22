"""Names and titles refuse invisible and control characters (common/text.py), ZWNJ and
ZWJ aside; language tags are BCP 47 (langcodes). Through the API and the admin, each
request committing on its own; the importer strips what the validators refuse; names
already stored are cleaned by the migrations and the rest named by a database check."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City, CityName
from common.text import (
    is_language_tag,
    language_tag_validator,
    name_text_validator,
    strip_unsafe,
)
from ops.checks import stored_text_valid
from partnerships.importing.names import read_labels
from partnerships.importing.reading import clean_name
from partnerships.models import Organization, Source
from tests.factories import CityFactory, OrganizationFactory, UserFactory
from tests.test_admin import form_data

DATA = Path(__file__).resolve().parent.parent / "data"

REFUSED = [
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u202a",  # LEFT-TO-RIGHT EMBEDDING
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200b",  # ZERO WIDTH SPACE
    "\ufeff",  # BYTE ORDER MARK
    "\u00ad",  # SOFT HYPHEN
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "\uffff",  # noncharacter
    "\ufdd0",  # noncharacter
    "\U0010fffe",  # noncharacter
    "\x00",
    "\x1b",
    "\t",
    "\n",
    "\x85",  # NEXT LINE (C1)
    "\u2028",  # LINE SEPARATOR
    "\ue000",  # private use
]


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_a_refused_character_is_invalid_and_names_it(char):
    with pytest.raises(ValidationError) as raised:
        name_text_validator(f"Tel{char}Aviv")
    assert f"U+{ord(char):04X}" in str(raised.value)
    assert strip_unsafe(f"Tel{char}Aviv") == "TelAviv"


@pytest.mark.parametrize(
    "name",
    [
        "آیزن\u200cاشتات",  # Persian, with ZERO WIDTH NON-JOINER
        "র\u200d্যামনিকু ভ্যালচিয়া",  # Bengali, with ZERO WIDTH JOINER
        "תל אביב-יפו",
        "北京",
        "Łódź",
        "Zoë (the ë composed: e\u0308)",
        "👩\u200d🔬",
    ],
)
def test_real_names_pass(name):
    name_text_validator(name)
    assert strip_unsafe(name) == name


@pytest.mark.parametrize(
    "tag", ["he", "zh", "zh-Hans", "zh-hant-TW", "sr-Latn-RS", "de-CH-1996", "yue", "x-klingon"]
)
def test_bcp47_tags_pass(tag):
    assert is_language_tag(tag)
    language_tag_validator(tag)


@pytest.mark.parametrize(
    "tag", ['he"><script>', "he_IL", "xx", "english", "he-", " he", "en--us", "zh\u200b"]
)
def test_other_tags_are_refused(tag):
    with pytest.raises(ValidationError, match="BCP 47"):
        language_tag_validator(tag)


def test_the_world_datas_names_survive_cleaning_and_keep_their_joiners():
    """Natural Earth's labels: the ZWNJ/ZWJ of Persian and Bengali names kept, the
    zero-width spaces, marks and the one RLE…PDF embedding removed: every label is
    a valid name."""
    folder = DATA / "city-names" / "naturalearth"
    labels = read_labels(
        folder / "ne_10m_populated_places.new_names.csv",
        folder / "ne_110m_populated_places.dbf",
    )
    names = [name for by_language in labels.values() for name in by_language.values()]
    for name in names:
        name_text_validator(name)
    assert sum("\u200c" in name for name in names) >= 10
    assert sum("\u200d" in name for name in names) >= 5
    assert clean_name("\u202bالمسيلة\u202c") == "المسيلة"
    assert clean_name("Fu\u200byang\t City") == "Fuyang City"


# --- the API, each request committed -----------------------------------------------------


@pytest.fixture
def editor_api(transactional_db):
    call_command("loaddata", "seed", verbosity=0)
    editor = UserFactory(username="editor", groups=["editors"], is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


def new_city(**changes):
    return {
        "name": "Haifa",
        "slug": "haifa",
        "country": "IL",
        "native_name": "חיפה",
        "native_name_language": "he",
        "native_name_direction": "rtl",
        **changes,
    }


@pytest.mark.django_db(transaction=True)
def test_api_refuses_a_bidi_override_in_a_city_name(editor_api):
    response = editor_api.post("/api/v1/cities/", new_city(name="Hai\u202efa"), format="json")

    assert response.status_code == 400, response.content
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in response.json()["name"][0]
    assert not City.objects.filter(slug="haifa").exists()


@pytest.mark.django_db(transaction=True)
def test_api_refuses_a_language_tag_that_is_not_bcp47(editor_api):
    response = editor_api.post(
        "/api/v1/cities/", new_city(native_name_language='he"><script>'), format="json"
    )

    assert response.status_code == 400, response.content
    (message,) = response.json()["native_name_language"]
    assert message.startswith("'he\"><script>' is not a BCP 47 language tag")
    assert not City.objects.filter(slug="haifa").exists()


@pytest.mark.django_db(transaction=True)
def test_api_stores_a_name_with_a_zero_width_non_joiner(editor_api):
    name = "آیزن\u200cاشتات"
    response = editor_api.post(
        "/api/v1/cities/",
        new_city(native_name=name, native_name_language="fa"),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert City.objects.get(slug="haifa").native_name == name


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("char", ["\ufeff", "\u200b", "\uffff"], ids=["BOM", "ZWSP", "FFFF"])
def test_api_patch_refuses_a_refused_character_in_an_organisations_name(editor_api, char):
    organization = Organization.objects.get(slug="zhongguancun-science-park")
    before = organization.name

    response = editor_api.patch(
        f"/api/v1/organizations/{organization.slug}/",
        {"name": f"Zhongguancun{char}"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert f"U+{ord(char):04X}" in response.json()["name"][0]
    organization.refresh_from_db()
    assert organization.name == before


@pytest.mark.django_db(transaction=True)
def test_api_refuses_a_source_title_with_an_isolate(editor_api):
    source = Source.objects.order_by("pk").first()

    response = editor_api.patch(
        f"/api/v1/sources/{source.pk}/", {"title": "\u2067Globes\u2069"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "U+2067" in response.json()["title"][0]


# --- the admin, each request committed ---------------------------------------------------


@pytest.fixture
def admin_client_committed(transactional_db, client):
    call_command("loaddata", "seed", verbosity=0)
    client.force_login(UserFactory(username="editor", groups=["editors"], is_staff=True))
    return client


@pytest.mark.django_db(transaction=True)
def test_admin_refuses_a_bad_language_tag_and_a_zero_width_space(admin_client_committed):
    city = City.objects.get(slug="tel-aviv")
    url = reverse("admin:cities_city_change", args=[city.pk])
    page = admin_client_committed.get(url)

    response = admin_client_committed.post(
        url,
        form_data(page, native_name_language='he"><script>', name="Tel\u200bAviv"),
    )

    assert response.status_code == 200  # the form again, with its errors
    form = response.context["adminform"].form
    assert "BCP 47" in form.errors["native_name_language"][0]
    assert "U+200B (ZERO WIDTH SPACE)" in form.errors["name"][0]
    city.refresh_from_db()
    assert (city.name, city.native_name_language) == ("Tel Aviv", "he")


@pytest.mark.django_db(transaction=True)
def test_admin_saves_a_valid_tag(admin_client_committed):
    city = City.objects.get(slug="tel-aviv")
    url = reverse("admin:cities_city_change", args=[city.pk])
    page = admin_client_committed.get(url)

    response = admin_client_committed.post(url, form_data(page, native_name_language="he-IL"))

    assert response.status_code == 302
    city.refresh_from_db()
    assert city.native_name_language == "he-IL"


# --- what was stored before --------------------------------------------------------------


@pytest.mark.django_db
def test_the_migrations_strip_refused_characters_from_stored_names():
    city = CityFactory(name="Tel\u202eAviv", native_name="תל\u200bאביב")
    CityName.objects.create(city=city, language="fa", name="تل\u200cآویو\ufeff")
    organization = OrganizationFactory(name="Park\u2066", short_name="Z\u200dP")

    importlib.import_module("cities.migrations.0006_text_validators").strip_refused_characters(
        apps, None
    )
    importlib.import_module(
        "partnerships.migrations.0005_text_validators"
    ).strip_refused_characters(apps, None)

    city.refresh_from_db()
    organization.refresh_from_db()
    assert (city.name, city.native_name) == ("TelAviv", "תלאביב")
    assert city.names.get().name == "تل\u200cآویو"
    assert (organization.name, organization.short_name) == ("Park", "Z\u200dP")
    assert "telaviv" in city.search_text


@pytest.mark.django_db
def test_the_database_check_names_stored_values_the_validators_refuse():
    good = CityFactory(native_name_language="he")
    bad = CityFactory(native_name_language="he")
    assert stored_text_valid(databases=["default"]) == []
    City.objects.filter(pk=bad.pk).update(native_name_language='he"><script>')

    City.objects.filter(pk=good.pk).update(name="Good\u202e")
    errors = stored_text_valid(databases=["default"])

    assert sorted((e.id, e.obj) for e in errors) == [
        ("ops.E002", "cities.City.name"),
        ("ops.E002", "cities.City.native_name_language"),
    ]
    assert f"ids {bad.pk})" in next(e.msg for e in errors if e.obj.endswith("language"))
