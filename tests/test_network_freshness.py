"""Network answers stay right after an edit: no stale graph, in this process or another."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from common import data_version
from partnerships import network
from partnerships.models import Partnership, PartnershipStatus
from tests.factories import CityFactory, PartnershipFactory

PATH = reverse("api:network-path")
STATS = reverse("api:network-stats")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process_memo():
    network.forget()


@pytest.fixture
def chain():
    """aix -- bonn -- celle, and dover on its own."""
    aix, bonn, celle, dover = (
        CityFactory(slug=s, name=s.title(), country=c)
        for s, c in [("aix", "FR"), ("bonn", "DE"), ("celle", "DE"), ("dover", "GB")]
    )
    PartnershipFactory(city_a=aix, city_b=bonn)
    bonn_celle = PartnershipFactory(city_a=bonn, city_b=celle)
    return {"aix": aix, "bonn": bonn, "celle": celle, "dover": dover, "bonn_celle": bonn_celle}


def hops(api_client, a, b):
    return api_client.get(PATH, {"from": a, "to": b}).json()["hops"]


def test_a_link_added_through_the_api_shows_at_once(api_client, editor, chain):
    assert hops(api_client, "aix", "dover") is None  # graph built and memoised

    api_client.force_authenticate(editor)
    created = api_client.post(
        reverse("api:partnership-list"),
        {"city_a": "dover", "city_b": "celle", "kind": "twin", "status": "active"},
        format="json",
    )
    assert created.status_code == 201, created.content
    api_client.force_authenticate(None)

    assert hops(api_client, "aix", "dover") == 3
    assert api_client.get(STATS).json()["links"] == 3


def test_a_link_ended_through_the_api_is_gone_at_once(api_client, editor, chain):
    assert hops(api_client, "aix", "celle") == 2

    api_client.force_authenticate(editor)
    url = reverse("api:partnership-detail", kwargs={"pk": chain["bonn_celle"].pk})
    response = api_client.patch(url, {"status": "ended"}, format="json")
    assert response.status_code == 200, response.content

    assert hops(api_client, "aix", "celle") is None
    assert api_client.get(STATS).json()["groups"]["count"] == 1


def test_a_deleted_link_is_gone_at_once(api_client, chain):
    assert hops(api_client, "aix", "celle") == 2

    chain["bonn_celle"].delete()

    assert hops(api_client, "aix", "celle") is None


def test_a_renamed_city_shows_its_new_name_in_the_stats(api_client, chain):
    assert api_client.get(STATS).json()["most_connected"][0]["name"] == "Bonn"

    bonn = chain["bonn"]
    bonn.name = "Bonn am Rhein"
    bonn.save()

    assert api_client.get(STATS).json()["most_connected"][0]["name"] == "Bonn am Rhein"


def test_a_city_moved_to_another_country_moves_in_the_stats(api_client, chain):
    api_client.get(STATS)

    chain["celle"].country = "PL"
    chain["celle"].save()

    pairs = api_client.get(STATS).json()["country_pairs"]
    assert [[c["code"] for c in p["countries"]] for p in pairs] == [["DE", "FR"], ["DE", "PL"]]


def test_writes_that_send_no_signal_are_still_seen(api_client, chain):
    """Another process's edit leaves this process's cache token alone (local-memory
    cache), and bulk writes send no signals; the database fingerprint catches both."""
    assert hops(api_client, "aix", "dover") is None
    token = cache.get(data_version.VERSION_KEY)

    Partnership.objects.bulk_create(
        [Partnership(city_a=chain["celle"], city_b=chain["dover"], status=PartnershipStatus.ACTIVE)]
    )

    assert cache.get(data_version.VERSION_KEY) == token
    assert hops(api_client, "aix", "dover") == 3


def test_the_import_bumps_the_version_when_it_commits(db, django_capture_on_commit_callbacks):
    from pathlib import Path

    from partnerships.importing import DataFiles, run_import

    token = cache.get(data_version.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(files=DataFiles.under(Path(__file__).parent / "data" / "twin-cities"))

    assert cache.get(data_version.VERSION_KEY) != token
