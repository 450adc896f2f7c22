"""An analyst's copy kept in sync with /api/v1/changes/ alone.

Start from an empty copy, read every change from the beginning (the initial export),
keep the cursor; then, after an admin edit, an API edit (with areas added and
removed), an accepted suggestion, a delete and a merge, read again from the cursor.
Each time the copy must hold exactly what the database holds, record for record.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django_countries.fields import Country
from rest_framework.test import APIClient

from changes.registry import KINDS
from tests import changes_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CHANGES_API_SETTLE_SECONDS = 0


def as_json(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Country):
        return value.code
    return value


def database_state() -> dict:
    state = {}
    for kind in KINDS:
        # What the history keeps is the public record; a derived column the history
        # leaves out (City.search_text, folded names for search) is no change to sync.
        tracked = {f.attname for f in kind.model.history.model.tracked_fields}
        fields = [f.attname for f in kind.model._meta.concrete_fields if f.attname in tracked]
        for obj in kind.model._default_manager.all():
            state[(kind.name, obj.pk)] = {name: as_json(getattr(obj, name)) for name in fields}
    return state


def sync(client, copy: dict, cursor: str | None) -> str:
    """The analyst's loop: apply every change after `cursor`, return the new cursor."""
    params = {"page_size": 7}
    if cursor:
        params["since"] = cursor
    while True:
        response = client.get("/api/v1/changes/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        for change in body["results"]:
            key = (change["type"], change["id"])
            if change["data"] is None:
                copy.pop(key, None)
            else:
                copy[key] = change["data"]
        if body["next"] is None:
            return body["cursor"]
        params = {"page_size": 7, "since": body["cursor"]}


def test_a_copy_kept_by_the_changes_endpoint_matches_the_database(client, editor):
    changes_story.seeded()
    copy: dict = {}

    cursor = sync(client, copy, None)  # the initial export, from an empty copy
    assert copy == database_state()
    assert len(copy) > 30

    story = changes_story.tell_after_seed(editor)
    api = APIClient()
    api.force_authenticate(editor)
    assert (
        api.patch(
            f"/api/v1/partnerships/{story.link.pk}/",
            {"areas": ["technology", "culture", "science"]},
            format="json",
        ).status_code
        == 200
    )

    cursor = sync(client, copy, cursor)
    assert copy == database_state()
    assert ("city", story.deleted_pk) not in copy
    assert ("city", story.merged_away_pk) not in copy
    assert copy[("partnership", story.moved_link.pk)]["city_a_id"] in {
        story.kept.pk,
        story.tel_aviv.pk,
    }

    # Nothing new: the same cursor comes back and the copy stays as it is.
    assert sync(client, copy, cursor) == cursor
    assert copy == database_state()
