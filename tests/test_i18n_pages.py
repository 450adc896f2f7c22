"""The public pages in English, Simplified Chinese and Hebrew: addresses, direction,
names in the reader's language, dates, hreflang and canonical links, the language
switch, the first visit's Accept-Language; the admin and the API stay English."""

import json
import re

import pytest
from django.core.cache import cache
from django.template import loader
from django.utils import translation

from cities.names import display_name, language_matches
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "", "zh-hans": "/zh-hans", "he": "/he"}


def html_of(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"),
    [("", "en", "ltr"), ("/zh-hans", "zh-hans", "ltr"), ("/he", "he", "rtl")],
)
def test_each_language_has_its_address_lang_and_direction(client, seed, prefix, lang, direction):
    html = html_of(client, prefix + "/cities/beijing/")
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_english_stays_at_the_unprefixed_addresses(client, seed):
    assert client.get("/cities/beijing/").status_code == 200
    assert client.get("/en/cities/beijing/").status_code == 404


def test_beijing_reads_北京_on_a_chinese_page_with_its_english_name_beside(client, seed):
    html = html_of(client, "/zh-hans/cities/beijing/")
    assert "<h1>北京 <span" in html
    assert 'lang="en" dir="ltr">Beijing</span></h1>' in html
    assert "<title>北京, 中国 · 城市伙伴关系</title>" in html
    # The partner, whose record has no Chinese name, keeps its English name, tagged.
    assert '<bdi lang="en">Tel Aviv</bdi>' in html


def test_tel_aviv_reads_in_hebrew_on_a_hebrew_page_and_latin_names_are_isolated(client, seed):
    html = html_of(client, "/he/partnerships/1/")
    assert '<bdi lang="en">Beijing</bdi> – תל אביב-יפו' in html
    assert "תל אביב-יפו: ערים תאומות" in html  # title: kind translated
    # The native names still stand beside, with their language and direction.
    assert '<span lang="zh" dir="ltr">北京</span>' in html


@pytest.mark.parametrize(
    ("prefix", "approximate_year"),
    [("", "about 1998"), ("/zh-hans", "约1998年"), ("/he", "בערך 1998")],
)
def test_an_approximate_year_stays_a_year_in_every_language(client, seed, prefix, approximate_year):
    html = html_of(client, prefix + "/partnerships/1/")
    assert f'<time datetime="1998">{approximate_year}</time>' in html


@pytest.mark.parametrize(
    ("prefix", "month", "day"),
    [
        ("", "April 2018", "13 April 2018"),
        ("/zh-hans", "2018年4月", "2018年4月13日"),
        ("/he", "אפריל 2018", "13 באפריל 2018"),
    ],
)
def test_months_and_days_read_in_the_language(client, seed, prefix, month, day):
    html = html_of(client, prefix + "/partnerships/1/")
    assert f'<time datetime="2018-04">{month}</time>' in html
    assert f'<time datetime="2018-04-13">{day}</time>' in html


def test_every_page_names_its_versions_and_its_canonical_address(client, seed):
    html = html_of(client, "/he/search/?q=Tel")
    assert '<link rel="canonical" href="http://testserver/he/search/">' in html
    for hreflang, url in [
        ("en", "http://testserver/search/?q=Tel"),
        ("x-default", "http://testserver/search/?q=Tel"),
        ("zh-Hans", "http://testserver/zh-hans/search/?q=Tel"),
        ("he", "http://testserver/he/search/?q=Tel"),
    ]:
        assert f'<link rel="alternate" hreflang="{hreflang}" href="{url}">' in html


def test_the_language_switch_keeps_the_reader_on_the_same_page(client, seed):
    html = html_of(client, "/zh-hans/cities/tel-aviv/")
    switch = html[html.index('class="language-switch"') :][:1200]
    assert 'href="/cities/tel-aviv/" lang="en"' in switch
    assert 'href="/he/cities/tel-aviv/" lang="he"' in switch and 'dir="rtl">עברית' in switch
    assert (
        'href="/zh-hans/cities/tel-aviv/" lang="zh-Hans" hreflang="zh-Hans" aria-current="true"'
        in (switch)
    )


def test_a_404_page_offers_each_languages_home(client, seed):
    response = client.get("/he/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="he" dir="rtl">' in html and "לא מצאנו את הדף הזה" in html
    assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans/">' in html


def test_the_500_page_renders_in_the_language_of_the_address():
    with translation.override("zh-hans"):
        html = loader.get_template("500.html").render({})
    assert '<html lang="zh-hans" dir="ltr">' in html and "我们这边出了问题" in html


# ---------------------------------------------------------------- first visit


def test_a_first_visit_from_a_chinese_browser_goes_to_the_chinese_page(client, seed):
    response = client.get("/cities/beijing/?x=1", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/cities/beijing/?x=1"
    assert response.cookies["language"].value == "zh-hans"
    assert "Accept-Language" in response["Vary"]
    # Afterwards the reader's choice holds: the English page stays English.
    response = client.get("/cities/beijing/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_a_first_visit_from_a_hebrew_browser_goes_to_the_hebrew_page(client, seed):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="he-IL,he;q=0.9")
    assert (response.status_code, response["Location"]) == (302, "/he/")


def test_a_first_visit_in_english_or_without_a_preference_stays(client, seed):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert response.cookies["language"].value == "en"
    assert client.get("/cities/", HTTP_ACCEPT_LANGUAGE="fr-FR").status_code == 200


def test_the_admin_and_the_api_are_never_redirected_and_stay_english(client, seed):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="he")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html and "Log in" in html
    response = client.get("/api/v1/cities/beijing/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["country"]) == ("Beijing", "CN")
    assert "display_name" not in body


# ---------------------------------------------------------------- names and search


def test_search_finds_a_city_by_any_stored_name_in_any_interface_language(client, seed):
    for prefix in LANGUAGES.values():
        for term in ("北京", "Beijing", "תל אביב"):
            response = client.get(f"{prefix}/search/", {"q": term})
            assert response.status_code == 200
            html = response.content.decode()
            slug = "beijing" if term in ("北京", "Beijing") else "tel-aviv"
            assert f'href="{prefix}/cities/{slug}/"' in html, (prefix, term)


def test_the_world_map_names_cities_in_the_readers_language(client, seed):
    cache.clear()

    # The page names the data URL of its language (public/map_views.py).
    def names(prefix):
        html = html_of(client, prefix)
        page = json.loads(re.search(r'id="world-map" type="application/json">(.*?)<', html)[1])
        assert page["source"].startswith(prefix + "map/world-")
        return {city[3]: city[2] for city in client.get(page["source"]).json()["cities"]}

    assert names("/zh-hans/")["beijing"] == "北京"
    assert names("/")["beijing"] == "Beijing"
    assert names("/he/")["tel-aviv"] == "תל אביב-יפו"


@pytest.mark.parametrize(
    ("tag", "reader", "matches"),
    [
        ("zh", "zh-hans", True),
        ("zh-Hans", "zh-hans", True),
        ("zh-CN", "zh-hans", True),
        ("zh-Hant", "zh-hans", False),
        ("zh-TW", "zh-hans", False),
        ("he", "he", True),
        ("he-IL", "he", True),
        ("ar", "he", False),
        ("", "en", False),
    ],
)
def test_a_name_suits_a_reader_of_its_language_and_script(tag, reader, matches):
    assert language_matches(tag, reader) is matches


def test_display_name_prefers_stored_names_then_the_native_one_then_english(db):
    city = CityFactory.build(
        name="Berlin", native_name="Berlin", native_name_language="de", country="DE"
    )
    assert display_name(city, "he") == "Berlin"
    city.names_by_language = {"he": "ברלין", "zh-Hans": "柏林"}
    assert (display_name(city, "he"), display_name(city, "zh-hans")) == ("ברלין", "柏林")
    assert display_name(city, "en") == "Berlin"


# ---------------------------------------------------------------- the API's ?lang=


def test_the_api_names_places_in_the_language_asked_for(api_client, seed):
    link = api_client.get("/api/v1/partnerships/1/", {"lang": "zh-hans"}).json()
    assert (link["city_a"]["display_name"], link["city_a"]["country_name"]) == ("北京", "中国")
    assert (link["city_b"]["display_name"], link["city_b"]["country_name"]) == (
        "Tel Aviv",
        "以色列",
    )
    assert link["city_a"]["name"] == "Beijing"  # the stored name is unchanged
    page = api_client.get("/api/v1/cities/", {"lang": "he"}).json()
    names = {city["slug"]: city["display_name"] for city in page["results"]}
    assert names == {"beijing": "Beijing", "tel-aviv": "תל אביב-יפו"}
    assert (
        api_client.get("/api/v1/cities/beijing/", {"lang": "zh-CN"}).json()["display_name"]
        == "北京"
    )


def test_the_api_refuses_an_unknown_language(api_client, seed):
    response = api_client.get("/api/v1/cities/", {"lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()


def test_the_schema_documents_lang(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/partnerships/"]["get"]["parameters"]
    lang = next(p for p in parameters if p["name"] == "lang")
    # "": empty is the parameter not given (api/schema.py).
    assert sorted(lang["schema"]["enum"]) == ["", "en", "he", "zh-hans"]
    assert re.search(r"display_name", lang["description"])


def test_lang_adds_no_query_to_an_api_list(api_client, db, settings):
    # The view's own answers each time: ?lang= is never a lean read, which takes
    # fewer statements on PostgreSQL (test_api_lean.py pins those).
    settings.API_LEAN_READS = False
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PartnershipFactory

    PartnershipFactory.create_batch(5)
    counts = {}
    for lang in (None, "zh-hans", "he"):
        params = {"lang": lang} if lang else {}
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/partnerships/", params).status_code == 200
        counts[lang] = len(queries)
    assert counts["zh-hans"] == counts["he"] == counts[None]
