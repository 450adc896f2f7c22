"""Each filter of /api/v1/partnerships/: the right links for a good value, a 400 naming
the filter for a bad one."""

import datetime as dt

import pytest

from partnerships.models import Precision
from tests.factories import CityFactory, CooperationAreaFactory, PartnershipFactory

URL = "/api/v1/partnerships/"


@pytest.fixture
def links(db):
    # Tel Aviv is created first, so the Beijing link stores Beijing on side B.
    tel_aviv = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    beijing = CityFactory(slug="beijing", name="Beijing", native_name="北京", country="CN")
    shanghai = CityFactory(slug="shanghai", name="Shanghai", country="CN")
    haifa = CityFactory(slug="haifa", name="Haifa", country="IL")
    paris = CityFactory(slug="paris", name="Paris", country="FR")
    technology = CooperationAreaFactory(slug="technology", name="technology")
    beijing_tel_aviv = PartnershipFactory(
        city_a=beijing,
        city_b=tel_aviv,
        kind="twin",
        status="active",
        start_date=dt.date(1998, 1, 1),
        start_precision=Precision.YEAR,
    )
    beijing_tel_aviv.areas.add(technology)
    shanghai_haifa = PartnershipFactory(
        city_a=shanghai,
        city_b=haifa,
        kind="sister",
        status="proposed",
        start_date=dt.date(2018, 4, 1),
        start_precision=Precision.MONTH,
        description="Port cities",
    )
    paris_haifa = PartnershipFactory(
        city_a=paris,
        city_b=haifa,
        kind="friendship",
        status="ended",
        start_date=dt.date(2005, 6, 15),
        start_precision=Precision.DAY,
    )
    paris_beijing = PartnershipFactory(
        city_a=paris,
        city_b=beijing,
        kind="cooperation",
        status="active",
        start_date=None,
        one_sided=True,
    )
    return {
        "beijing_tel_aviv": beijing_tel_aviv.pk,
        "shanghai_haifa": shanghai_haifa.pk,
        "paris_haifa": paris_haifa.pk,
        "paris_beijing": paris_beijing.pk,
    }


def found(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def names(links, *keys):
    return {links[key] for key in keys}


def assert_rejected(api_client, field, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    return response.json()[field][0]


def test_beijing_is_stored_on_side_b(links):
    from partnerships.models import Partnership

    assert Partnership.objects.get(pk=links["beijing_tel_aviv"]).city_b.slug == "beijing"


def test_city_matches_either_side(api_client, links):
    assert found(api_client, city="beijing") == names(links, "beijing_tel_aviv", "paris_beijing")
    assert found(api_client, city="haifa") == names(links, "shanghai_haifa", "paris_haifa")


def test_city_that_does_not_exist_is_a_400(api_client, links):
    assert_rejected(api_client, "city", city="atlantis")


def test_country_matches_either_side(api_client, links):
    expected = names(links, "beijing_tel_aviv", "shanghai_haifa", "paris_haifa")
    assert found(api_client, country="IL") == expected
    assert found(api_client, country="il") == expected


@pytest.mark.parametrize("bad", ["XX", "ISR", "1", "Israel"])
def test_country_that_is_not_iso_3166_is_a_400(api_client, links, bad):
    message = assert_rejected(api_client, "country", country=bad)
    assert "ISO 3166" in message


def test_kind(api_client, links):
    assert found(api_client, kind="sister") == names(links, "shanghai_haifa")


def test_unknown_kind_is_a_400(api_client, links):
    assert_rejected(api_client, "kind", kind="soulmates")


def test_status(api_client, links):
    assert found(api_client, status="ended") == names(links, "paris_haifa")


def test_unknown_status_is_a_400(api_client, links):
    assert_rejected(api_client, "status", status="dormant")


def test_area(api_client, links):
    assert found(api_client, area="technology") == names(links, "beijing_tel_aviv")


def test_unknown_area_is_a_400(api_client, links):
    assert_rejected(api_client, "area", area="astrology")


def test_started_after_a_year_month_or_day(api_client, links):
    assert found(api_client, started_after="2005") == names(links, "shanghai_haifa", "paris_haifa")
    assert found(api_client, started_after="2005-07") == names(links, "shanghai_haifa")
    assert found(api_client, started_after="2005-06-15") == names(
        links, "shanghai_haifa", "paris_haifa"
    )
    assert found(api_client, started_after="2005-06-16") == names(links, "shanghai_haifa")


@pytest.mark.parametrize("bad", ["abc", "98", "2018-13", "2018-02-30", "2018/04"])
def test_started_after_that_is_not_a_date_is_a_400(api_client, links, bad):
    assert_rejected(api_client, "started_after", started_after=bad)


def test_started_before_includes_the_whole_period(api_client, links):
    assert found(api_client, started_before="1998") == names(links, "beijing_tel_aviv")
    assert found(api_client, started_before="2005-06") == names(
        links, "beijing_tel_aviv", "paris_haifa"
    )
    assert found(api_client, started_before="2005-06-14") == names(links, "beijing_tel_aviv")


def test_started_before_that_is_not_a_date_is_a_400(api_client, links):
    assert_rejected(api_client, "started_before", started_before="last year")


def test_search_by_name_native_name_or_description(api_client, links):
    assert found(api_client, search="tel") == names(links, "beijing_tel_aviv")
    assert found(api_client, search="北京") == names(links, "beijing_tel_aviv", "paris_beijing")
    assert found(api_client, search="port") == names(links, "shanghai_haifa")


def test_filters_combine(api_client, links):
    assert found(api_client, country="IL", status="ended") == names(links, "paris_haifa")


def test_ordering(api_client, links):
    response = api_client.get(URL, {"ordering": "-start"})
    starts = [row["start"] for row in response.json()["results"] if row["start"]]
    assert starts == ["2018-04", "2005-06-15", "1998"]


def test_unknown_ordering_is_a_400(api_client, links):
    assert_rejected(api_client, "ordering", ordering="population")


def test_a_misspelt_filter_is_a_400_not_ignored(api_client, links):
    message = assert_rejected(api_client, "contry", contry="IL")
    assert "country" in message  # the answer lists what is accepted


def test_one_sided(api_client, links):
    assert found(api_client, one_sided="true") == names(links, "paris_beijing")
    assert found(api_client, one_sided="false") == names(
        links, "beijing_tel_aviv", "shanghai_haifa", "paris_haifa"
    )


def test_one_sided_that_is_not_true_or_false_is_a_400(api_client, links):
    assert_rejected(api_client, "one_sided", one_sided="maybe")
