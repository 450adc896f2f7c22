"""What a record looks like: its API url and public page_url, a partnership's nested
city summaries, dates at their precision, and the API root listing every resource."""

import pytest
from django.urls import resolve

RESOURCES = [
    "cities",
    "partnerships",
    "liaison-offices",
    "officials",
    "organizations",
    "events",
    "sources",
    "areas",
]


def test_the_root_lists_every_resource(api_client, db):
    body = api_client.get("/api/v1/").json()
    assert list(body) == RESOURCES
    assert body["liaison-offices"] == "http://testserver/api/v1/liaison-offices/"


def test_a_partnership_nests_both_cities(api_client, seed):
    link = api_client.get("/api/v1/partnerships/1/").json()
    assert link["url"] == "http://testserver/api/v1/partnerships/1/"
    assert link["page_url"] == "http://testserver/partnerships/1/"
    assert link["city_a"] == {
        "url": "http://testserver/api/v1/cities/beijing/",
        "page_url": "http://testserver/cities/beijing/",
        "slug": "beijing",
        "name": "Beijing",
        "native_name": "北京",
        "country": "CN",
        "latitude": 39.90403,
        "longitude": 116.407526,
    }
    assert link["city_b"]["native_name"] == "תל אביב-יפו"
    assert (link["kind"], link["status"]) == ("twin", "active")
    # "About 20 years" before 2018: a year, at year precision, marked approximate.
    assert (link["start"], link["start_is_approximate"], link["end"]) == ("1998", True, None)
    assert link["areas"] == [
        "art",
        "culture",
        "education",
        "municipal-knowledge-exchange",
        "technology",
    ]
    assert [source["publisher"] for source in link["sources"]] == ["Globes"]


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("cities/beijing/", "/cities/beijing/"),
        ("officials/yin-hejun/", "/officials/yin-hejun/"),
        (
            "liaison-offices/zhongguancun-israeli-liaison-office/",
            "/offices/zhongguancun-israeli-liaison-office/",
        ),
    ],
)
def test_records_with_a_public_page_link_to_it(api_client, seed, path, page):
    record = api_client.get(f"/api/v1/{path}").json()
    assert record["url"] == f"http://testserver/api/v1/{path}"
    assert record["page_url"] == f"http://testserver{page}"
    # The address is the public site's own route for that record.
    assert resolve(page).namespace == "public"


@pytest.mark.parametrize(
    "path",
    ["organizations/zhongguancun-science-park/", "events/1/", "sources/1/", "areas/technology/"],
)
def test_detail_by_slug_or_id_carries_its_url(api_client, seed, path):
    record = api_client.get(f"/api/v1/{path}").json()
    assert record["url"] == f"http://testserver/api/v1/{path}"


def test_the_office_in_the_seed(api_client, seed):
    office = api_client.get("/api/v1/liaison-offices/zhongguancun-israeli-liaison-office/").json()
    assert office["organization"]["short_name"] == "Z-Park"
    assert (office["home_city"]["slug"], office["host_city"]["slug"]) == ("beijing", "tel-aviv")
    assert office["network_ordinal"] == 11
    assert office["status"] == "announced"
    assert office["announced_on"] == "2018-04"


def test_the_event_in_the_seed_lists_participants_and_quotes(api_client, seed):
    event = api_client.get("/api/v1/events/1/").json()
    assert {p["slug"] for p in event["participants"]} == {"yin-hejun", "doron-sapir"}
    assert {q["official"] for q in event["quotes"]} == {"yin-hejun", "doron-sapir"}
