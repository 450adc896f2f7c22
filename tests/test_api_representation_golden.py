"""The API's representation, pinned: what every read answers, byte for byte.

Two guards, so a faster read path can never change what a client receives:

1. The seed (the fixtures `make run` loads): each URL in SEED_URLS is answered with
   exactly the status, content type and body recorded in
   tests/data/api_golden_seed.json, which was written by the code before the fast
   read path existed. JSON bodies are compared parsed (field by field, with the
   path of the first difference in the message) and as bytes (the compact form
   DRF's JSONRenderer writes: same key order, same number formatting, same escapes).
   To regenerate it after an intended change of representation:

       UPDATE_API_GOLDEN=1 .venv/bin/pytest tests/test_api_representation_golden.py -k seed

   and review the diff of the JSON file like any other change of the API.

2. A generated data set (factory-boy: cities in several countries with names in
   Hebrew and Chinese, nulls, partial dates at every precision, one-sided links,
   areas, sources, offices, officials, events with quotes): each URL of
   GENERATED_URLS is asked once through the fast read path and once through the
   DRF serializers (`ApiViewSetMixin.fast_reads = False`), and the two answers must
   be the same bytes, with the same ETag where there is one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from cities.models import CityName
from partnerships import models as m
from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
    QuoteFactory,
    SourceFactory,
)

GOLDEN = Path(__file__).parent / "data" / "api_golden_seed.json"

SEED_URLS = [
    "/api/v1/",
    # partnerships
    "/api/v1/partnerships/",
    "/api/v1/partnerships/?page_size=1",
    "/api/v1/partnerships/?page=1&page_size=1",
    "/api/v1/partnerships/?country=IL",
    "/api/v1/partnerships/?country=CN&partner_country=IL",
    "/api/v1/partnerships/?ordering=-start,id",
    "/api/v1/partnerships/?ordering=city_a",
    "/api/v1/partnerships/?search=beijing",
    "/api/v1/partnerships/?lang=zh-hans",
    "/api/v1/partnerships/?lang=he",
    "/api/v1/partnerships/?kind=twin&status=active&area=technology",
    "/api/v1/partnerships/?started_before=2000",
    "/api/v1/partnerships/?contry=IL",
    "/api/v1/partnerships/?page_size=0",
    "/api/v1/partnerships/?format=csv",
    "/api/v1/partnerships/?format=ndjson",
    "/api/v1/partnerships/?format=geojson",
    "/api/v1/partnerships/1/",
    "/api/v1/partnerships/1/?lang=he",
    "/api/v1/partnerships/1/?format=csv",
    "/api/v1/partnerships/999999/",
    "/api/v1/partnerships/facets/",
    # cities
    "/api/v1/cities/",
    "/api/v1/cities/?page_size=1&page=2",
    "/api/v1/cities/?country=CN",
    "/api/v1/cities/?search=tel",
    "/api/v1/cities/?ordering=-name",
    "/api/v1/cities/?lang=zh-hans",
    "/api/v1/cities/?lang=he",
    "/api/v1/cities/?min_partners=1",
    "/api/v1/cities/?format=csv",
    "/api/v1/cities/?format=ndjson",
    "/api/v1/cities/?format=geojson",
    "/api/v1/cities/beijing/",
    "/api/v1/cities/tel-aviv/",
    "/api/v1/cities/beijing/?lang=zh-hans",
    "/api/v1/cities/tel-aviv/?lang=he",
    "/api/v1/cities/beijing/?format=geojson",
    "/api/v1/cities/no-such-city/",
    "/api/v1/cities/beijing/partners/",
    "/api/v1/cities/tel-aviv/partners/",
    "/api/v1/cities/beijing/partners/?lang=he",
    "/api/v1/cities/beijing/partners/?kind=twin",
    "/api/v1/cities/beijing/partners/?country=IL&page_size=1",
    "/api/v1/cities/beijing/partners/?format=csv",
    "/api/v1/cities/beijing/partners/?format=geojson",
    # the other resources
    "/api/v1/liaison-offices/",
    "/api/v1/liaison-offices/zhongguancun-israeli-liaison-office/",
    "/api/v1/liaison-offices/?lang=zh-hans",
    "/api/v1/officials/",
    "/api/v1/officials/yin-hejun/",
    "/api/v1/organizations/",
    "/api/v1/organizations/zhongguancun-science-park/",
    "/api/v1/events/",
    "/api/v1/events/1/",
    "/api/v1/events/?lang=he",
    "/api/v1/sources/",
    "/api/v1/sources/1/",
    "/api/v1/areas/",
    "/api/v1/areas/technology/",
    "/api/v1/network/stats/",
]


def _answer(response) -> dict:
    content_type = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8")
    answer = {"status": response.status_code, "content_type": content_type}
    if "json" in content_type and "ndjson" not in content_type and text:
        answer["json"] = json.loads(text)
        answer["text"] = text
    else:
        answer["text"] = text
    return answer


def _drf_bytes(data) -> str:
    """The bytes DRF's JSONRenderer writes for `data` (compact, not ASCII-escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def first_difference(expected, actual, path="$") -> str | None:
    """Where two JSON values first differ ("$.results[0].city_a.slug: 'a' != 'b'")."""
    if type(expected) is not type(actual):
        return f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, dict):
        if list(expected) != list(actual):
            return f"{path}: keys {list(expected)} != {list(actual)}"
        for key in expected:
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items != {len(actual)}"
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{path}: {expected!r} != {actual!r}"


_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")


def _decimals_as_numbers(text: str) -> str:
    """CSV cells of decimal columns are written as the database returns them
    (SQLite "32.08", PostgreSQL "32.0800000000000"): compared as numbers."""
    return _DECIMAL.sub(lambda match: repr(float(match.group())), text)


def assert_same_answer(expected: dict, actual: dict, url: str) -> None:
    assert actual["status"] == expected["status"], url
    assert actual["content_type"] == expected["content_type"], url
    if "json" in expected:
        assert "json" in actual, url
        difference = first_difference(expected["json"], actual["json"])
        assert difference is None, f"{url}: {difference}"
    if expected["content_type"].startswith("text/csv"):
        assert _decimals_as_numbers(actual["text"]) == _decimals_as_numbers(expected["text"]), url
    else:
        assert actual["text"] == expected["text"], url


# -- 1. the seed, against the recorded answers ---------------------------------------


@pytest.fixture
def seed_answers(api_client, seed):
    return {url: _answer(api_client.get(url)) for url in SEED_URLS}


def test_seed_answers_are_the_recorded_ones(seed_answers):
    if os.environ.get("UPDATE_API_GOLDEN"):
        GOLDEN.write_text(
            json.dumps(seed_answers, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
            encoding="utf-8",
        )
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(recorded) == SEED_URLS, "SEED_URLS changed: regenerate the golden file"
    for url in SEED_URLS:
        assert_same_answer(recorded[url], seed_answers[url], url)


def test_json_answers_are_the_compact_form_drf_writes(seed_answers):
    for url, answer in seed_answers.items():
        if answer["content_type"] == "application/json":
            assert answer["text"] == _drf_bytes(answer["json"]), url


def test_the_golden_file_covers_lists_details_and_errors():
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    statuses = {answer["status"] for answer in recorded.values()}
    assert {200, 400, 404} <= statuses
    lists = [a for a in recorded.values() if "results" in a.get("json", {})]
    assert any(a["json"]["results"] for a in lists)


# -- 2. a generated data set: fast path against the DRF serializers ------------------


@pytest.fixture
def generated(db):
    """Cities, links, sources, offices, officials and events with every kind of gap."""
    hub = CityFactory(
        name="Haifa",
        slug="haifa",
        country="IL",
        native_name="חיפה",
        native_name_language="he",
        native_name_direction="rtl",
        population=285_000,
        region="Haifa District",
        wikidata_id="Q41621",
        description="A port.\u2028Second line.",
    )
    shanghai = CityFactory(
        name="Shanghai",
        slug="shanghai",
        country="CN",
        native_name="上海",
        native_name_language="zh-hans",
        population=24_870_000,
    )
    CityName.objects.create(city=shanghai, language="he", name="שנגחאי")
    no_coordinates = CityFactory(
        name="Nowhere", slug="nowhere", country="DE", latitude=None, longitude=None
    )
    precise = CityFactory(
        name="Zürich",
        slug="zurich",
        country="CH",
        latitude=Decimal("47.376887"),
        longitude=Decimal("8.541694"),
        population=0,
    )
    # Coordinates below 1e-4, which Python writes 5e-05 and -1e-06 (orjson otherwise).
    tiny = CityFactory(
        name="Near Null Island",
        slug="near-null-island",
        country="GH",
        latitude=Decimal("0.000050"),
        longitude=Decimal("-0.000001"),
    )
    others = [CityFactory(country=code) for code in ("FR", "FR", "DE", "US", "CN", "IL")]
    others.append(tiny)
    areas = [CooperationAreaFactory(slug=s, name=s) for s in ("culture", "technology", "sport")]
    sources = [SourceFactory(), SourceFactory(url="https://example.org/r", published_on=None)]

    links = [
        PartnershipFactory(
            city_a=hub,
            city_b=shanghai,
            start_date=dt.date(1998, 6, 15),
            start_precision=m.Precision.DAY,
            start_is_approximate=True,
        ),
        PartnershipFactory(
            city_a=hub,
            city_b=no_coordinates,
            start_date=None,
            start_precision=m.Precision.YEAR,
            one_sided=True,
            kind=m.PartnershipKind.FRIENDSHIP,
        ),
        PartnershipFactory(
            city_a=precise,
            city_b=hub,
            start_date=dt.date(2001, 3, 1),
            start_precision=m.Precision.MONTH,
            end_date=dt.date(2010, 1, 1),
            end_precision=m.Precision.YEAR,
            status=m.PartnershipStatus.ENDED,
            description="Ended.\nFor good.",
        ),
    ]
    links += [
        PartnershipFactory(city_a=other, city_b=hub if i % 2 else shanghai)
        for i, other in enumerate(others)
    ]
    links[0].areas.set(areas[:2])
    links[0].sources.set(sources)
    links[2].sources.set(sources[1:])
    links[3].areas.set(areas[2:])

    organization = OrganizationFactory(city=shanghai, short_name="SP")
    office = LiaisonOfficeFactory(
        organization=organization,
        host_city=hub,
        partnership=links[0],
        opened_on=dt.date(2019, 1, 1),
        opened_precision=m.Precision.YEAR,
    )
    office.sources.set(sources)
    official = OfficialFactory(city=hub, organization=organization)
    OfficialFactory(city=shanghai)
    event = EventFactory(city=hub, partnership=links[0], liaison_office=office)
    event.participants.set([official])
    event.sources.set(sources[:1])
    QuoteFactory(event=event, official=official, source=sources[0])
    EventFactory(date=dt.date(2020, 1, 1), date_precision=m.Precision.YEAR)
    return {
        "hub": hub,
        "links": links,
        "office": office,
        "official": official,
        "event": event,
        "organization": organization,
        "sources": sources,
    }


def generated_urls(made) -> list[str]:
    link = made["links"][0].pk
    return [
        "/api/v1/partnerships/",
        "/api/v1/partnerships/?page_size=3",
        "/api/v1/partnerships/?page_size=3&page=2",
        "/api/v1/partnerships/?country=IL",
        "/api/v1/partnerships/?country=IL&partner_country=CN,DE",
        "/api/v1/partnerships/?city=haifa&ordering=-start",
        "/api/v1/partnerships/?one_sided=true",
        "/api/v1/partnerships/?start_known=false",
        "/api/v1/partnerships/?ordering=city_b,-id",
        "/api/v1/partnerships/?search=shang",
        "/api/v1/partnerships/?lang=he",
        "/api/v1/partnerships/?lang=zh-hans&page_size=2",
        "/api/v1/partnerships/?area=technology",
        "/api/v1/partnerships/?format=csv",
        "/api/v1/partnerships/?format=ndjson",
        f"/api/v1/partnerships/{link}/",
        f"/api/v1/partnerships/{link}/?lang=he",
        f"/api/v1/partnerships/{made['links'][1].pk}/",
        f"/api/v1/partnerships/{made['links'][2].pk}/",
        "/api/v1/cities/",
        "/api/v1/cities/?page_size=4&page=2",
        "/api/v1/cities/?country=IL,CN",
        "/api/v1/cities/?ordering=-population",
        "/api/v1/cities/?search=haifa",
        "/api/v1/cities/?lang=he",
        "/api/v1/cities/?lang=zh-hans",
        "/api/v1/cities/?min_partners=2",
        "/api/v1/cities/?format=csv",
        "/api/v1/cities/?format=ndjson",
        "/api/v1/cities/haifa/",
        "/api/v1/cities/shanghai/?lang=he",
        "/api/v1/cities/nowhere/",
        "/api/v1/cities/zurich/",
        "/api/v1/cities/near-null-island/",
        "/api/v1/cities/near-null-island/partners/",
        "/api/v1/cities/haifa/partners/",
        "/api/v1/cities/haifa/partners/?page_size=2&page=2",
        "/api/v1/cities/haifa/partners/?country=CN",
        "/api/v1/cities/haifa/partners/?one_sided=true",
        "/api/v1/cities/haifa/partners/?lang=zh-hans",
        "/api/v1/cities/shanghai/partners/?lang=he",
        "/api/v1/cities/nowhere/partners/",
        "/api/v1/liaison-offices/",
        f"/api/v1/liaison-offices/{made['office'].slug}/",
        "/api/v1/officials/",
        f"/api/v1/officials/{made['official'].slug}/",
        "/api/v1/organizations/",
        f"/api/v1/organizations/{made['organization'].slug}/",
        "/api/v1/events/",
        f"/api/v1/events/{made['event'].pk}/",
        "/api/v1/events/?lang=he",
        "/api/v1/sources/",
        f"/api/v1/sources/{made['sources'][1].pk}/",
        "/api/v1/areas/",
        "/api/v1/areas/culture/",
    ]


def _both_ways(api_client, monkeypatch, url) -> tuple:
    from api import base

    answers = []
    for fast in (False, True):
        monkeypatch.setattr(base.ApiViewSetMixin, "fast_reads", fast, raising=False)
        response = api_client.get(url)
        answers.append((_answer(response), response.get("ETag")))
    return answers


def test_generated_data_fast_path_answers_as_the_serializers(api_client, generated, monkeypatch):
    for url in generated_urls(generated):
        (reference, reference_etag), (fast, fast_etag) = _both_ways(api_client, monkeypatch, url)
        assert reference["status"] == 200, url
        assert_same_answer(reference, fast, url)
        assert fast_etag == reference_etag, url


def test_generated_data_covers_the_gaps(api_client, generated):
    links = api_client.get("/api/v1/partnerships/?page_size=100").json()["results"]
    assert any(link["start"] is None for link in links)
    assert {len(link["start"]) for link in links if link["start"]} == {4, 7, 10}
    assert any(link["one_sided"] for link in links)
    assert any(link["city_b"]["latitude"] is None for link in links)
    # Written as Python (and DRF) writes them, not as orjson would (0.00005, -1e-6).
    tiny = api_client.get("/api/v1/cities/near-null-island/").content
    assert b'"latitude":5e-05,"longitude":-1e-06' in tiny
    haifa = api_client.get("/api/v1/cities/haifa/?lang=he").json()
    assert haifa["display_name"] == "חיפה"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/?lang=xx",
        "/api/v1/partnerships/abc/",
        "/api/v1/partnerships/999999/",
        "/api/v1/partnerships/?page=99",
        "/api/v1/cities/haifa/?country=CN",
        "/api/v1/cities/haifa/?country=IL",
        "/api/v1/cities/haifa/?lang=xx",
        "/api/v1/cities/haifa/?search=haif",
        "/api/v1/cities/haifa/partners/?lang=xx",
        "/api/v1/cities/haifa/partners/?page=9",
        "/api/v1/cities/haifa/?format=csv",
    ],
)
def test_generated_data_errors_and_odd_requests_alike(api_client, generated, monkeypatch, url):
    """Refusals, 404s and a detail with the list's filters: the same on both paths."""
    (reference, reference_etag), (fast, fast_etag) = _both_ways(api_client, monkeypatch, url)
    assert_same_answer(reference, fast, url)
    assert fast_etag == reference_etag, url
