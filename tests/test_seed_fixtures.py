"""The seed fixtures carry every fact of the 2018-04-13 report, and nothing more.

Each test reads the loaded rows field by field against the article's own words
(`../shared/source-documents/2018-04-13-beijing-science-park-tel-aviv-liaison-office.txt`).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from cities.models import City
from partnerships.models import (
    CooperationArea,
    Event,
    LiaisonOffice,
    Official,
    Organization,
    OrganizationFigure,
    Partnership,
    Precision,
    Quote,
    Source,
)

pytestmark = pytest.mark.django_db

PARTNERSHIP_AREAS = {
    "technology",
    "municipal knowledge exchange",
    "education",
    "culture",
    "art",
}
OFFICE_FOCUS = {"economy", "high-tech", "science"}

SAPIR_QUOTE = (
    "Beijing and Tel Aviv, like China and Israel, are completely different in size, but share "
    "many common values: Adopting technology and modernization, cherishing education, and "
    "striving to always improve our municipal systems. Tel Aviv Mayor Ron Huldai has defined "
    "the relationship with Beijing as a prime strategic goal for our foreign relations. In "
    "recent years we've seen dramatic increase in the number of delegations and visits from "
    "Beijing to Tel Aviv and vice versa. The opening of a Beijing economic office here in Tel "
    "Aviv is an important development that we welcome with pleasure."
)
YIN_QUOTE = (
    "We are thrilled to announce this liaison office in Tel Aviv, which is the center of the "
    "Israeli ecosystem, as another step in the cooperation between our cities. The Chinese "
    "government attributes great importance to Zhongguancun science park, as home to "
    "innovation and breakthrough technologies. Last year, the combined turnover of high-tech "
    "industries in Z-Park exceeded 5 trillion RMB (almost $800 billion). In recent years we "
    "established 10 liaison offices of the park worldwide, including the US. Today we announce "
    "the 11th office in Tel Aviv. We know how famous Tel Aviv is for its innovation, and "
    "openness to new ideas. We have a lot to learn from you."
)


def _every_model():
    return [m for m in apps.get_models() if m._meta.app_label in ("cities", "partnerships")]


def _row_counts():
    return {model._meta.label: model._default_manager.count() for model in _every_model()}


def test_it_cites_the_globes_report(seed):
    source = Source.objects.get()
    assert source.publisher == "Globes"
    assert source.title == "Beijing Science Park opens Tel Aviv liaison office"
    assert source.published_on == dt.date(2018, 4, 13)
    assert source.url == ""  # the article gives none
    assert "2018-04-13" in source.note
    assert "Globes" in source.note


def test_it_loads_beijing_and_tel_aviv(seed):
    beijing = City.objects.get(slug="beijing")
    assert beijing.name == "Beijing"
    assert beijing.country.code == "CN"
    assert beijing.wikidata_id == "Q956"
    assert beijing.native_name == "北京"
    assert beijing.native_name_language == "zh"
    assert beijing.native_name_direction == "ltr"
    assert beijing.latitude == Decimal("39.904030")
    assert beijing.longitude == Decimal("116.407526")

    tel_aviv = City.objects.get(slug="tel-aviv")
    assert tel_aviv.name == "Tel Aviv"
    assert tel_aviv.country.code == "IL"
    assert tel_aviv.wikidata_id == "Q33935"
    assert tel_aviv.native_name == "תל אביב-יפו"
    assert tel_aviv.native_name_language == "he"
    assert tel_aviv.native_name_direction == "rtl"
    assert tel_aviv.latitude == Decimal("32.08")
    assert tel_aviv.longitude == Decimal("34.78")

    # The article says nothing of regions or populations: they stay unknown.
    for city in (beijing, tel_aviv):
        assert city.region == ""
        assert city.population is None
    assert City.objects.count() == 2


def test_the_twinning_is_about_twenty_years_old_shown_as_1998(seed):
    link = Partnership.objects.with_cities().get()
    assert {link.city_a.name, link.city_b.name} == {"Beijing", "Tel Aviv"}
    assert link.city_a_id < link.city_b_id  # stored once, canonical order
    assert link.kind == Partnership.Kind.TWIN
    assert link.status == Partnership.Status.ACTIVE
    assert link.start_date == dt.date(1998, 1, 1)
    assert link.start_precision == Precision.YEAR
    assert link.start.isoformat() == "1998"
    assert link.start.display() == "1998"
    assert link.start_is_approximate is True
    assert link.end_date is None
    assert "20 years" in link.description
    assert "increased dramatically" in link.description
    assert {area.name for area in link.areas.all()} == PARTNERSHIP_AREAS
    assert [s.publisher for s in link.sources.all()] == ["Globes"]


def test_the_cooperation_areas_have_kebab_case_slugs(seed):
    slugs = dict(CooperationArea.objects.values_list("name", "slug"))
    assert set(slugs) == PARTNERSHIP_AREAS | OFFICE_FOCUS
    assert slugs["municipal knowledge exchange"] == "municipal-knowledge-exchange"
    assert slugs["high-tech"] == "high-tech"


def test_z_park_is_chinas_silicon_valley_in_beijing(seed):
    park = Organization.objects.select_related("city").get()
    assert park.name == "Zhongguancun Science Park"
    assert park.short_name == "Z-Park"
    assert park.nickname == "China's Silicon Valley"
    assert park.kind == Organization.Kind.SCIENCE_PARK
    assert park.city.name == "Beijing"
    for company in ("Lenovo", "Baidu", "Xiaomi"):
        assert company in park.description
    assert "leading universities" in park.description
    assert park.website == ""


def test_z_parks_2017_turnover_exceeded_five_trillion_rmb(seed):
    figure = OrganizationFigure.objects.select_related("organization", "source").get()
    assert figure.organization.short_name == "Z-Park"
    assert figure.metric == "combined turnover of high-tech industries"
    assert figure.year == 2017  # "last year", said in April 2018
    assert figure.comparator == OrganizationFigure.Comparator.OVER
    assert figure.value == Decimal("5000000000000")
    assert figure.unit == "CNY"
    assert figure.as_reported == "exceeded 5 trillion RMB (almost $800 billion)"
    assert figure.source.publisher == "Globes"


def test_the_three_officials_and_their_titles(seed):
    officials = {
        o.slug: (o.name, o.title, o.city.name) for o in Official.objects.select_related("city")
    }
    assert officials == {
        "yin-hejun": ("Yin Hejun", "Vice Mayor", "Beijing"),
        "doron-sapir": ("Doron Sapir", "Deputy Mayor", "Tel Aviv"),
        "ron-huldai": ("Ron Huldai", "Mayor", "Tel Aviv"),
    }
    # Terms of office are not in the article.
    assert not Official.objects.filter(term_start__isnull=False).exists()
    assert not Official.objects.filter(term_end__isnull=False).exists()


def test_the_liaison_office_is_z_parks_eleventh(seed):
    office = LiaisonOffice.objects.with_related().get()
    assert office.name == "Zhongguancun Israeli liaison office"
    assert office.slug == "zhongguancun-israeli-liaison-office"
    assert office.organization.short_name == "Z-Park"
    assert office.home_city.name == "Beijing"
    assert office.host_city.name == "Tel Aviv"
    assert office.partnership == Partnership.objects.get()
    assert office.status == LiaisonOffice.Status.ANNOUNCED
    assert office.partial_date("announced_on").isoformat() == "2018-04"
    assert office.opened_on is None
    assert office.closed_on is None
    assert office.network_ordinal == 11
    assert "10 others" in office.description
    assert "US" in office.description
    assert office.purpose == (
        "A base for Chinese companies seeking to do business in Israel, and for Israeli "
        "companies seeking business opportunities in China."
    )
    assert {area.name for area in office.focus_areas.all()} == OFFICE_FOCUS
    assert [s.publisher for s in office.sources.all()] == ["Globes"]


def test_the_meeting_announced_the_office(seed):
    event = Event.objects.select_related("partnership", "liaison_office", "city").get()
    assert event.kind == Event.Kind.ANNOUNCEMENT
    assert event.when.isoformat() == "2018-04"
    assert event.when.display() == "April 2018"
    assert event.city is None  # the article does not say where
    assert event.partnership == Partnership.objects.get()
    assert event.liaison_office.slug == "zhongguancun-israeli-liaison-office"
    assert {p.name for p in event.participants.all()} == {"Yin Hejun", "Doron Sapir"}
    assert "senior delegation from Beijing Municipality" in event.summary
    assert "Z-Park" in event.summary
    assert [s.publisher for s in event.sources.all()] == ["Globes"]


def test_both_quotes_verbatim_with_their_speakers(seed):
    event = Event.objects.get()
    quotes = {q.official.name: q for q in Quote.objects.select_related("official", "source")}
    assert set(quotes) == {"Doron Sapir", "Yin Hejun"}
    assert quotes["Doron Sapir"].text == SAPIR_QUOTE
    assert quotes["Yin Hejun"].text == YIN_QUOTE
    for quote in quotes.values():
        assert quote.event == event
        assert quote.source.publisher == "Globes"


EXPECTED_ROWS = {
    "cities.City": 2,
    "cities.CityName": 0,
    "cities.CityRedirect": 0,
    "cities.PossibleDuplicate": 0,
    "partnerships.Source": 1,
    "partnerships.CooperationArea": 8,
    "partnerships.Organization": 1,
    "partnerships.OrganizationFigure": 1,
    "partnerships.Official": 3,
    "partnerships.Partnership": 1,
    "partnerships.PartnershipArea": 5,
    "partnerships.PartnershipSource": 1,
    "partnerships.LiaisonOffice": 1,
    "partnerships.LiaisonOfficeFocusArea": 3,
    "partnerships.LiaisonOfficeSource": 1,
    "partnerships.Event": 1,
    "partnerships.EventParticipant": 2,
    "partnerships.EventSource": 1,
    "partnerships.Quote": 2,
}


def test_it_holds_exactly_the_articles_records(seed):
    counts = _row_counts()
    for label, expected in EXPECTED_ROWS.items():
        assert counts.pop(label) == expected, label
    # What is left are history tables: loaddata saves raw, which writes no history.
    assert all(".Historical" in label for label in counts), counts
    assert set(counts.values()) <= {0}


def test_loading_twice_changes_no_row_counts(seed):
    first = _row_counts()
    call_command("loaddata", "seed", verbosity=0)
    assert _row_counts() == first


def test_loaded_records_pass_their_own_validation(seed):
    """The fixture bypasses save(); every row must still satisfy full_clean()."""
    for model in _every_model():
        if model._meta.label.startswith(("cities.Historical", "partnerships.Historical")):
            continue
        for obj in model._default_manager.all():
            obj.full_clean()
