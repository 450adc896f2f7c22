"""GET /api/v1/changes/: every change in order, cursor-paged, strict about its parameters."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from changes.log import Position
from tests import changes_story
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/"


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CHANGES_API_SETTLE_SECONDS = 0


def read_all(client, **params):
    results, params = [], {"page_size": 5, **params}
    while True:
        body = client.get(URL, params).json()
        results += body["results"]
        if not body["next"]:
            return results, body["cursor"]
        params = {**params, "since": body["cursor"]}


def test_the_story_is_listed_oldest_first_with_every_operation(client, editor):
    story = changes_story.tell(editor)
    results, _ = read_all(client)
    keys = [(r["type"], r["id"], r["operation"]) for r in results]
    expected_in_order = [
        ("partnership", story.link.pk, "changed"),  # the admin edit
        ("city", story.tel_aviv.pk, "changed"),  # the API edit
        ("city", story.beijing.pk, "changed"),  # the accepted suggestion
        ("city", story.deleted_pk, "deleted"),
        ("partnership", story.moved_link.pk, "merged"),
        ("city", story.merged_away_pk, "merged"),
    ]
    positions = [keys.index(item) for item in expected_in_order]
    assert positions == sorted(positions)
    assert len(keys) == len(set((r["cursor"]) for r in results))

    by_key = {(r["type"], r["id"], r["operation"]): r for r in results}
    admin_edit = by_key[("partnership", story.link.pk, "changed")]
    assert "status" in admin_edit["changed_fields"]
    assert admin_edit["data"]["status"] == "suspended"
    assert admin_edit["url"] == f"http://testserver/api/v1/partnerships/{story.link.pk}/"
    assert admin_edit["page_url"] == f"http://testserver/partnerships/{story.link.pk}/"
    assert admin_edit["by"] == "staff"
    deleted = by_key[("city", story.deleted_pk, "deleted")]
    assert deleted["data"] is None and deleted["url"] is None
    merged_away = by_key[("city", story.merged_away_pk, "merged")]
    assert merged_away["data"] is None
    assert merged_away["reason"] == changes_story.MERGE_REASON
    suggestion = by_key[("city", story.beijing.pk, "changed")]
    assert suggestion["changed_fields"] == ["population", "updated_at"]
    assert suggestion["reason"].startswith(f"Suggestion #{story.suggestion.pk} accepted")
    sources = [r for r in results if r["type"] == "source" and r["operation"] == "created"]
    assert sources[-1]["data"]["url"] == "https://example.org/census-2020"


def test_the_contact_email_and_the_users_never_reach_the_api(client, editor):
    changes_story.tell(editor)
    results, _ = read_all(client)
    text = json.dumps(results)
    assert "reader@example.org" not in text
    assert "history_user" not in text and '"editor"' not in text


def test_a_cursor_resumes_exactly_after_the_last_change_read(client, db):
    for n in range(3):
        CityFactory(slug=f"early-{n}")
    first, cursor = read_all(client)
    assert client.get(URL, {"since": cursor}).json()["results"] == []
    assert client.get(URL, {"since": cursor}).json()["cursor"] == cursor
    CityFactory(slug="late")
    later = client.get(URL, {"since": cursor}).json()
    assert [r["data"]["slug"] for r in later["results"]] == ["late"]


def test_since_takes_an_iso_time_and_includes_changes_made_at_that_time(client, db):
    CityFactory(slug="before")
    moment = timezone.now()
    CityFactory(slug="after")
    body = client.get(URL, {"since": moment.isoformat()}).json()
    assert [r["data"]["slug"] for r in body["results"]] == ["after"]
    day = client.get(URL, {"since": moment.date().isoformat()}).json()
    assert {r["data"]["slug"] for r in day["results"]} >= {"before", "after"}


def test_type_filters_the_kinds_of_record(client, editor):
    changes_story.tell(editor)
    body = client.get(URL, {"type": "partnership,partnership-area", "page_size": 500}).json()
    assert body["results"]
    assert {r["type"] for r in body["results"]} == {"partnership", "partnership-area"}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"since": Position(timezone.now(), 1, 1).encode()[:-3] + "!!"}, "since"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"type": "planet"}, "type"),
        ({"sinse": "2020"}, "sinse"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, db, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_change_appears_only_after_the_settling_time(client, db, settings):
    settings.CHANGES_API_SETTLE_SECONDS = 60
    CityFactory(slug="fresh")
    assert client.get(URL).json()["results"] == []
    CityFactory._meta.model.history.filter(slug="fresh").update(
        history_date=timezone.now() - dt.timedelta(seconds=61)
    )
    assert [r["data"]["slug"] for r in client.get(URL).json()["results"]] == ["fresh"]


def test_the_schema_documents_the_endpoint_and_its_parameters(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"since", "type", "page_size"} <= names
    assert "ChangePage" in json.dumps(operation["responses"]["200"])
