"""The whole record on a slice of every data set (tests/data/world/, see make_slice.py):
the Wikidata cities and statements, the Wikipedia lists, the Czech partnerships and
Natural Earth's names."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from cities.models import City, CityName, PossibleDuplicate
from partnerships.models import Partnership, PartnershipKind, PartnershipStatus, Source

DATA = Path(__file__).parent / "data" / "world" / "twin-cities"

pytestmark = pytest.mark.django_db


def run(tmp_path, *args):
    out = io.StringIO()
    report = tmp_path / "report.txt"
    call_command(
        "import_twin_cities", "--data-dir", str(DATA), "--report", str(report), *args, stdout=out
    )
    return out.getvalue(), report.read_text(encoding="utf-8")


def link_between(a, b):
    return Partnership.objects.involving(a).filter(pk__in=Partnership.objects.involving(b)).get()


def test_a_pair_two_sets_state_in_opposite_orders_is_one_link_citing_both(seed, tmp_path):
    run(tmp_path)
    beijing, tel_aviv = City.objects.get(slug="beijing"), City.objects.get(slug="tel-aviv")
    link = link_between(beijing, tel_aviv)
    keys = set(link.sources.values_list("dataset_key", flat=True))
    assert {"wikidata-cities", "hekman-wikipedia"} <= keys
    # the seed's own facts are staff's: kept
    assert (link.kind, link.status) == (PartnershipKind.TWIN, PartnershipStatus.ACTIVE)
    assert City.objects.filter(name="Beijing").count() == 1


def test_imported_links_are_labelled_as_no_set_says_their_kind_or_status(tmp_path):
    run(tmp_path)
    imported = Partnership.objects.all()
    assert imported.count() > 50
    assert set(imported.values_list("kind", "status").distinct()) == {("unstated", "unknown")}
    with translation.override("en"):
        assert str(PartnershipKind("unstated").label) == "twinned, kind not stated"
        assert str(PartnershipStatus("unknown").label) == "not recorded"


def test_the_czech_year_lands_on_the_link_at_year_precision_citing_that_set(tmp_path):
    _, report = run(tmp_path)
    beroun, brzeg = City.objects.get(name="Beroun"), City.objects.get(name="Brzeg")
    link = link_between(beroun, brzeg)
    assert (link.start_date.year, link.start_precision) == (2002, "year")
    keys = set(link.sources.values_list("dataset_key", flat=True))
    assert {"czech-partnerska-mesta", "hekman-wikipedia"} <= keys
    # year 0 is unknown, 37546 is rejected into the report; both links still exist
    stochov = City.objects.get(name="Stochov")
    assert Partnership.objects.involving(stochov).get().start_date is None
    assert "year '37546' is not a year" in report
    assert Partnership.objects.involving(City.objects.get(name="Týn nad Vltavou")).exists()


def test_namesakes_and_wrong_geocodes_stay_apart(tmp_path):
    run(tmp_path)
    whitbys = City.objects.filter(name="Whitby")
    assert sorted(whitbys.values_list("country", flat=True)) == ["CA", "GB"]
    canadian = whitbys.get(country="CA")
    assert canadian.latitude is None  # its coordinates were Whitby, England's
    assert whitbys.get(country="GB").region == "England"
    # "Montevideo, United States" (geocoded to Montevideo, Uruguay) is not Uruguay's; with
    # no coordinates left it cannot be told from Montevideo, Minnesota: listed, not merged
    uruguay = City.objects.get(name="Montevideo", country="UY")
    assert (
        Partnership.objects.involving(uruguay)
        .filter(
            pk__in=Partnership.objects.filter(city_a__name="Montevideo", city_b__name="Montevideo")
        )
        .exists()
    )
    us = City.objects.filter(name="Montevideo", country="US")
    assert us.count() == 2
    a, b = sorted(us.values_list("pk", flat=True))
    assert PossibleDuplicate.objects.filter(city_a_id=a, city_b_id=b).exists()
    # The same point across a border: listed for staff, never merged
    goerlitz = City.objects.filter(name="Görlitz")
    assert sorted(goerlitz.values_list("country", flat=True)) == ["DE", "PL"]
    a, b = sorted(goerlitz.values_list("pk", flat=True))
    assert PossibleDuplicate.objects.filter(city_a_id=a, city_b_id=b).exists()
    # A district is its own place, not its city
    assert City.objects.filter(name="Stari Grad (Sarajevo)", country="BA").count() == 1


def test_a_second_run_changes_nothing(seed, tmp_path):
    run(tmp_path)
    counts = (City.objects.count(), Partnership.objects.count(), CityName.objects.count())
    output, _ = run(tmp_path)
    assert "nothing changed" in output
    assert counts == (City.objects.count(), Partnership.objects.count(), CityName.objects.count())


def test_native_names_and_names_in_other_languages(seed, tmp_path):
    run(tmp_path)
    beijing = City.objects.get(slug="beijing")
    assert beijing.native_name == "北京"  # the seed's stays
    names = dict(beijing.names.values_list("language", "name"))
    assert names["ru"] == "Пекин" and names["de"] == "Peking"
    tbilisi = City.objects.get(name="Tbilisi")
    assert CityName.objects.filter(city=tbilisi).exists() or tbilisi.native_name == ""
    assert City.objects.filter(native_name_language="ja").exclude(native_name="").exists()


def test_each_data_set_is_one_source_found_by_its_key_even_after_staff_edit_it(tmp_path):
    run(tmp_path)
    assert sorted(Source.objects.values_list("dataset_key", flat=True)) == [
        "czech-partnerska-mesta",
        "hekman-wikipedia",
        "l3viathan-wikidata",
        "wikidata-cities",
    ]
    Source.objects.update(title="Edited by staff", publisher="Staff")
    output, _ = run(tmp_path)
    assert Source.objects.count() == 4
    assert "nothing changed" in output


def test_the_report_says_how_each_country_string_and_rule_was_decided(tmp_path):
    output, report = run(tmp_path)
    assert "links stated by each data set:" in output
    assert "Wrong geocodes, coordinates not used" in report
    assert "Whitby (CA)" in report or "Whitby" in report
    assert "Native names: a city's label in its country's language" in report


def test_a_slug_that_lost_letters_is_transliterated_and_the_old_one_redirects(tmp_path, client):
    lodz = City.objects.create(name="Łódź", slug="odz", country="PL", wikidata_id="Q580")
    output, _ = run(tmp_path)
    lodz.refresh_from_db()
    assert lodz.slug == "lodz"
    assert "slugs transliterated: 1" in output
    response = client.get("/cities/odz/")
    assert response.status_code == 301 and response["Location"].endswith("/cities/lodz/")
    assert client.get("/cities/lodz/").status_code == 200


def test_a_city_is_found_by_its_name_in_another_language_on_the_site_and_in_the_api(
    seed, tmp_path, client
):
    run(tmp_path)
    assert list(City.objects.search("Пекин").values_list("slug", flat=True)) == ["beijing"]
    api = client.get("/api/v1/cities/", {"search": "Pequim"}).json()
    assert [c["slug"] for c in api["results"]] == ["beijing"]
    links = client.get("/api/v1/partnerships/", {"search": "Пекин"}).json()
    assert links["count"] == Partnership.objects.involving(City.objects.get(slug="beijing")).count()
    page = client.get("/cities/", {"q": "Pekin"}).content.decode()
    assert "/cities/beijing/" in page
