"""Each public page, with the seed (the 2018-04-13 Beijing–Tel Aviv report), shows the
facts a reader expects, at the precision the source gives them."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from partnerships.models import LiaisonOffice, Partnership, Precision
from tests.factories import CityFactory, OfficialFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SAPIR_QUOTE = "Beijing and Tel Aviv, like China and Israel, are completely different in size"
YIN_QUOTE = "We are thrilled to announce this liaison office in Tel Aviv"


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed, entities kept."""
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def link(seed):
    return Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")


def test_the_partnership_page_shows_the_year_not_a_made_up_day(client, link):
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "about 1998" in text
    assert "1998-01-01" not in response.content.decode()
    assert "1 January 1998" not in text
    assert '<time datetime="1998">about 1998</time>' in response.content.decode()


def test_the_partnership_page_shows_both_quotes_with_their_speakers(client, link):
    html = client.get(link.get_absolute_url()).content.decode()
    for quote, speaker, title in [
        (SAPIR_QUOTE, "Doron Sapir", "Deputy Mayor"),
        (YIN_QUOTE, "Yin Hejun", "Vice Mayor"),
    ]:
        figure = re.search(
            r'<figure class="quote">(.*?)</figure>', html[html.index(quote) - 200 :], re.S
        ).group(1)
        assert quote in figure
        assert speaker in figure and title in figure


def test_the_partnership_page_shows_areas_timeline_office_and_source(client, link):
    response = client.get(link.get_absolute_url())
    text = text_of(response)
    for area in ["technology", "municipal knowledge exchange", "education", "culture", "art"]:
        assert f'<span class="tag">{area}</span>' in response.content.decode()
    assert "April 2018" in text  # the meeting, known to the month only
    assert "Participants:" in text and "Yin Hejun" in text and "Doron Sapir" in text
    assert "Zhongguancun Israeli liaison office" in text
    assert "its 11th office" in text
    assert "Globes" in text and "Beijing Science Park opens Tel Aviv liaison office" in text
    assert "13 April 2018" in text  # the source's own date is known to the day


def test_the_city_page_shows_native_name_with_language_and_direction(client, seed):
    html = client.get(reverse("public:city-detail", args=["tel-aviv"])).content.decode()
    assert '<span class="native-name" lang="he" dir="rtl">תל אביב-יפו</span>' in html
    html = client.get(reverse("public:city-detail", args=["beijing"])).content.decode()
    assert 'lang="zh" dir="ltr">北京</span>' in html


def test_the_city_page_lists_partners_offices_officials_and_events(client, seed):
    response = client.get(reverse("public:city-detail", args=["tel-aviv"]))
    text = text_of(response)
    html = response.content.decode()
    link = Partnership.objects.get()
    assert f'<a href="{link.get_absolute_url()}">Beijing</a>' in html
    assert "China" in text and "twin cities" in text and "about 1998" in text
    assert "active" in text
    # Tel Aviv hosts the Z-Park office and sends none.
    hosted = html[html.index("Hosted in Tel Aviv") :]
    assert "Zhongguancun Israeli liaison office" in hosted
    sent = html[html.index("Sent abroad by Tel Aviv") : html.index("Hosted in Tel Aviv")]
    assert "None recorded." in sent
    assert "Doron Sapir" in text and "Ron Huldai" in text
    assert "Yin Hejun" not in html[html.index('id="officials-title"') :][:2000]
    assert "Z-Park liaison office announced" in text
    assert "Population not recorded" in text


def test_the_beijing_page_lists_the_office_it_sends(client, seed):
    html = client.get(reverse("public:city-detail", args=["beijing"])).content.decode()
    sent = html[html.index("Sent abroad by Beijing") : html.index("Hosted in Beijing")]
    assert "Zhongguancun Israeli liaison office" in sent
    assert "its 11th office" in text_of_html(sent)


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_office_page_shows_its_place_in_the_network_and_dates(client, seed):
    office = LiaisonOffice.objects.get()
    text = text_of(client.get(office.get_absolute_url()))
    assert "The 11th office of Zhongguancun Science Park (Z-Park)" in text
    assert "“China&#x27;s Silicon Valley”" in text
    assert "Announced April 2018" in text
    assert "Opened not yet reported" in text
    assert "economy" in text and "high-tech" in text and "science" in text
    assert "A base for Chinese companies seeking to do business in Israel" in text
    assert "exceeded 5 trillion RMB (almost $800 billion)" in text
    assert "Globes" in text


def test_the_official_page_shows_title_city_quotes_and_events(client, seed):
    text = text_of(client.get(reverse("public:official-detail", args=["doron-sapir"])))
    assert "Doron Sapir" in text and "Deputy Mayor of Tel Aviv" in text
    assert SAPIR_QUOTE in text
    assert YIN_QUOTE not in text
    assert "Z-Park liaison office announced" in text
    assert "Term not recorded" in text


def test_an_official_with_no_quotes_or_events_says_so(client, seed):
    text = text_of(client.get(reverse("public:official-detail", args=["ron-huldai"])))
    assert "Ron Huldai" in text and "Mayor of Tel Aviv" in text
    assert "No quotes recorded." in text
    assert "No events recorded." in text


def test_the_home_page_shows_figures_events_search_and_map(client, seed):
    response = client.get(reverse("public:home"))
    html = response.content.decode()
    text = text_of(response)
    assert re.search(r"<dd><a [^>]*>2</a></dd>", html)  # cities
    assert "Cities" in text and "Links" in text and "Countries" in text
    assert "Liaison offices" in text
    assert "Beijing vice mayor and Tel Aviv deputy mayor meet" in text
    assert 'role="search"' in html and 'action="/search/"' in html
    assert '<script id="world-map" type="application/json">' in html
    source = json.loads(re.search(r'id="world-map" type="application/json">(.*?)<', html)[1])
    world = client.get(source["source"]).json()
    assert sorted(city[2:] for city in world["cities"]) == [
        ["Beijing", "beijing"],
        ["Tel Aviv", "tel-aviv"],
    ]
    assert "vendor/leaflet/leaflet.js" in html


def test_the_lists_show_the_seed_rows(client, seed):
    text = text_of(client.get(reverse("public:city-list")))
    assert "Beijing" in text and "Tel Aviv" in text and "2 cities" in text
    text = text_of(client.get(reverse("public:partnership-list")))
    assert "Beijing – Tel Aviv" in text and "1 link." in text and "about 1998" in text
    text = text_of(client.get(reverse("public:office-list")))
    assert "Zhongguancun Israeli liaison office" in text and "Beijing → Tel Aviv" in text
    assert "11th of its organisation" in text


def test_unknown_slugs_and_ids_are_404(client, seed):
    for url in [
        "/cities/atlantis/",
        "/partnerships/999/",
        "/offices/nowhere/",
        "/officials/nobody/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find that page" in response.content.decode()


def test_a_one_sided_link_and_a_term_show_what_is_known(client, db):
    hub, other = CityFactory(name="Hub"), CityFactory(name="Other")
    PartnershipFactory(
        city_a=hub,
        city_b=other,
        one_sided=True,
        start_date=dt.date(2004, 6, 1),
        start_precision=Precision.MONTH,
    )
    text = text_of(client.get(hub.get_absolute_url()))
    assert "Other one-sided" in text and "June 2004" in text
    official = OfficialFactory(
        city=hub, term_start=dt.date(2013, 1, 1), term_start_precision=Precision.YEAR
    )
    text = text_of(client.get(official.get_absolute_url()))
    assert "Term 2013 – no end recorded" in text
