"""The filters an analysis needs (issue 12): several countries at once, links between
two countries or within one, known or unknown dates, a data set, changes since; cities by
Wikidata ID and region; offices, events and officials by what they point at."""

import datetime as dt

import pytest
from django.utils import timezone

from partnerships import models as m
from tests.factories import (
    CityFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    PartnershipFactory,
    SourceFactory,
)

LINKS = "/api/v1/partnerships/"


@pytest.fixture
def links(db):
    berlin = CityFactory(slug="berlin", name="Berlin", country="DE", region="Berlin")
    munich = CityFactory(
        slug="munich", name="Munich", country="DE", region="Bavaria", wikidata_id="Q1726"
    )
    paris = CityFactory(slug="paris", name="Paris", country="FR")
    lyon = CityFactory(slug="lyon", name="Lyon", country="FR")
    rome = CityFactory(slug="rome", name="Rome", country="IT")
    wikidata = SourceFactory(dataset_key="wikidata-cities")
    made = {
        "berlin-paris": PartnershipFactory(city_a=berlin, city_b=paris),
        # Stored with the French city first: either orientation counts.
        "lyon-munich": PartnershipFactory(city_a=lyon, city_b=munich, start_date=None),
        "berlin-munich": PartnershipFactory(
            city_a=berlin, city_b=munich, end_date=dt.date(2010, 1, 1)
        ),
        "paris-rome": PartnershipFactory(city_a=paris, city_b=rome),
    }
    m.PartnershipSource.objects.create(partnership=made["paris-rome"], source=wikidata)
    return made


def ids(api_client, url=LINKS, **params):
    response = api_client.get(url, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def pks(links, *names):
    return {links[name].pk for name in names}


def test_several_countries_comma_separated_or_repeated(api_client, links):
    both = pks(links, "berlin-paris", "lyon-munich", "berlin-munich", "paris-rome")
    assert ids(api_client, country="DE,FR") == both
    assert api_client.get(LINKS + "?country=DE&country=it").json()["count"] == 4
    assert ids(api_client, country="IT") == pks(links, "paris-rome")


def test_links_between_two_countries_either_orientation(api_client, links):
    assert ids(api_client, country="DE", partner_country="FR") == pks(
        links, "berlin-paris", "lyon-munich"
    )
    assert ids(api_client, country="FR", partner_country="DE") == pks(
        links, "berlin-paris", "lyon-munich"
    )
    assert ids(api_client, country="FR", partner_country="IT,DE") == pks(
        links, "berlin-paris", "lyon-munich", "paris-rome"
    )


def test_domestic(api_client, links):
    assert ids(api_client, domestic="true") == pks(links, "berlin-munich")
    assert ids(api_client, domestic="false", country="DE") == pks(
        links, "berlin-paris", "lyon-munich"
    )
    assert ids(api_client, domestic="true", country="FR") == set()


def test_start_and_end_known(api_client, links):
    assert ids(api_client, start_known="false") == pks(links, "lyon-munich")
    assert len(ids(api_client, start_known="true")) == 3
    assert ids(api_client, end_known="true") == pks(links, "berlin-munich")


def test_source_dataset_key(api_client, links):
    assert ids(api_client, source="wikidata-cities") == pks(links, "paris-rome")
    # A data set the import knows but this database has not imported: no link.
    assert ids(api_client, source="czech-partnerska-mesta") == set()
    response = api_client.get(LINKS, {"source": "no-such-set"})
    assert response.status_code == 400
    assert "source" in response.json()


def test_updated_since(api_client, links):
    old = timezone.now() - dt.timedelta(days=30)
    m.Partnership.objects.exclude(pk=links["paris-rome"].pk).update(updated_at=old)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert ids(api_client, updated_since=since) == pks(links, "paris-rome")
    assert api_client.get(LINKS, {"updated_since": "yesterday"}).status_code == 400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("country", "ZZ"),
        ("country", "DE,ZZ"),
        ("partner_country", "XX"),
        ("domestic", "maybe"),
        ("start_known", "1"),
        ("end_known", "yes"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_filter(api_client, links, name, value):
    response = api_client.get(LINKS, {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize(
    "name",
    [
        "country",
        "partner_country",
        "domestic",
        "start_known",
        "end_known",
        "source",
        "updated_since",
        "started_before",
        "started_after",
        "kind",
        "search",
    ],
)
def test_an_empty_value_is_the_filter_not_given(api_client, links, name):
    response = api_client.get(LINKS, {name: ""})
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 4


def test_a_single_value_filter_given_twice_is_still_a_400(api_client, links):
    response = api_client.get(LINKS + "?kind=twin&kind=sister")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_two_sort_keys_repeated_as_the_schema_sends_them(api_client, links):
    repeated = api_client.get("/api/v1/cities/?ordering=-partnership_count&ordering=name")
    commas = api_client.get("/api/v1/cities/?ordering=-partnership_count,name")
    assert repeated.status_code == 200, repeated.json()
    assert [r["slug"] for r in repeated.json()["results"]] == [
        r["slug"] for r in commas.json()["results"]
    ]
    assert [r["slug"] for r in commas.json()["results"]][:3] == ["berlin", "munich", "paris"]


def test_cities_by_wikidata_id_region_and_several_countries(api_client, links):
    slugs = lambda **p: {r["slug"] for r in api_client.get("/api/v1/cities/", p).json()["results"]}  # noqa: E731
    assert slugs(wikidata_id="Q1726") == {"munich"}
    assert slugs(region="bavaria") == {"munich"}
    assert slugs(country="IT,FR") == {"paris", "lyon", "rome"}
    assert api_client.get("/api/v1/cities/", {"wikidata_id": "956"}).status_code == 400


def test_offices_events_officials_by_what_they_point_at(api_client, db):
    beijing = CityFactory(slug="beijing", name="Beijing", country="CN")
    office = LiaisonOfficeFactory(
        name="Zhongguancun Z-Park Office", slug="z-park", host_city=beijing
    )
    LiaisonOfficeFactory()
    official = OfficialFactory(slug="mayor-x", city=beijing)
    event = EventFactory(city=beijing, liaison_office=office, title="Opening of Z-Park")
    event.participants.add(official)
    EventFactory(title="Something else")

    def slugs(url, **params):
        response = api_client.get(url, params)
        assert response.status_code == 200, response.json()
        return [row.get("slug", row.get("id")) for row in response.json()["results"]]

    assert slugs("/api/v1/liaison-offices/", search="Zhongguancun") == ["z-park"]
    assert slugs("/api/v1/liaison-offices/", city="beijing") == ["z-park"]
    assert slugs("/api/v1/events/", liaison_office="z-park") == [event.pk]
    assert slugs("/api/v1/events/", official="mayor-x") == [event.pk]
    assert slugs("/api/v1/events/", search="z-park") == [event.pk]
    assert slugs("/api/v1/officials/", event=event.pk) == ["mayor-x"]
    assert api_client.get("/api/v1/events/", {"liaison_office": "nope"}).status_code == 400
