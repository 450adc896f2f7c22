"""The public "Recent changes" page and the Atom feeds: every kind of change, in order,
named for the public as "staff" or "import", with staff names for staff only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from changes.models import ImportRun, record_import_run
from tests import changes_story
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CHANGES_API_SETTLE_SECONDS = 0


@pytest.fixture
def story(editor):
    return changes_story.tell(editor)


def summary(changes):
    return [(c.type, c.object_id, c.operation) for c in changes]


def test_the_page_lists_admin_api_suggestion_delete_and_merge_newest_first(client, story):
    response = client.get(reverse("changes:list"))
    assert response.status_code == 200
    top = summary(response.context["changes"])
    expected_in_order = [
        ("city", story.merged_away_pk, "merged"),
        ("partnership", story.moved_link.pk, "merged"),
        ("city", story.deleted_pk, "deleted"),
        ("city", story.beijing.pk, "changed"),  # the accepted suggestion
        ("city", story.tel_aviv.pk, "changed"),  # the API edit
        ("partnership", story.link.pk, "changed"),  # the admin edit
    ]
    positions = [top.index(item) for item in expected_in_order]
    assert positions == sorted(positions)

    page = response.content.decode()
    assert "Changed status in the admin." in page
    assert f"Suggestion #{story.suggestion.pk} accepted" in page
    assert changes_story.MERGE_REASON in page
    # Public readers see "staff", never who.
    assert "by staff" in page and "editor" not in page
    # The contact e-mail of the suggestion is nowhere public.
    assert "reader@example.org" not in page


def test_a_change_shows_its_fields_from_what_to_what(client, story):
    changes = client.get(reverse("changes:list")).context["changes"]
    admin_edit = next(
        c for c in changes if c.type == "partnership" and c.reason.startswith("Changed status")
    )
    assert [(f.name, f.old, f.new) for f in admin_edit.field_changes] == [
        ("status", "active", "suspended")
    ]
    api_edit = next(c for c in changes if c.type == "city" and c.object_id == story.tel_aviv.pk)
    assert any(f.name == "population" and f.new == "460613" for f in api_edit.field_changes)


def test_staff_see_which_member_of_staff_made_a_change(client, story, editor):
    client.force_login(editor)
    page = client.get(reverse("changes:list")).content.decode()
    assert "by editor" in page


def test_an_import_run_is_one_entry_with_its_counts_and_its_rows_stay_off_the_page(client, db):
    from partnerships.importing.applying import CHANGE_REASON

    imported = [CityFactory.build(name=f"Imported {n}", slug=f"imported-{n}") for n in range(30)]
    from simple_history.utils import bulk_create_with_history

    from cities.models import City

    bulk_create_with_history(imported, City, default_change_reason=CHANGE_REASON)
    record_import_run(["30 cities created"], {"cities created": 30}, report="all went well")

    changes = client.get(reverse("changes:list")).context["changes"]
    assert summary(changes) == [("import-run", ImportRun.objects.get().pk, "imported")]
    page = client.get(reverse("changes:list")).content.decode()
    assert "cities created" in page and "30 cities created" in page and "all went well" in page
    # Each record the run wrote is still a change of its own in the API.
    api = client.get("/api/v1/changes/", {"type": "city"}).json()
    assert len(api["results"]) == 30
    assert {row["by"] for row in api["results"]} == {"import"}


def test_the_page_filters_by_kind_of_record_and_by_country(client, story):
    only_links = client.get(reverse("changes:list"), {"kind": "partnership"}).context["changes"]
    assert only_links and {c.kind.group for c in only_links} == {"partnership"}

    german = client.get(reverse("changes:list"), {"country": "DE"}).context["changes"]
    # New Town and the merged link (its cities are now in DE and IL); not Beijing's edits.
    assert ("city", story.kept.pk, "created") in summary(german)
    assert ("partnership", story.moved_link.pk, "merged") in summary(german)
    assert all(c.object_id != story.beijing.pk or c.type != "city" for c in german)


def test_a_bad_filter_or_page_is_said_not_ignored(client, db):
    assert "Please correct the filter" in client.get("/changes/?kind=bogus").content.decode()
    page = client.get("/changes/?before=not-a-cursor").content.decode()
    assert "does not exist" in page


def test_the_page_pages_back_in_time_without_repeating_a_change(client, db):
    for n in range(60):
        CityFactory(name=f"Town {n}", slug=f"town-{n}")
    first = client.get(reverse("changes:list"))
    older = first.context["older_url"]
    assert older
    second = client.get(older)
    seen = summary(first.context["changes"]) + summary(second.context["changes"])
    assert len(seen) == 60 == len(set(seen))
    assert second.context["older_url"] is None


def test_hostile_text_is_escaped_on_the_page_and_in_the_feed(client, db):
    city = CityFactory(name='<script>alert("x")</script>', slug="hostile")
    city.description = "<img src=x onerror=alert(1)>"
    city.save()
    page = client.get(reverse("changes:list")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    feed = client.get(reverse("changes:feed")).content.decode()
    # The Atom summary is HTML escaped once more as XML text: no live markup anywhere.
    assert "<script>" not in feed and "<img" not in feed
    summary_html = ET.fromstring(feed).find(f"{ATOM}entry/{ATOM}summary").text
    assert "<img" not in summary_html and "&lt;img" in summary_html


def test_the_feed_lists_the_same_changes_newest_first(client, story):
    feed = ET.fromstring(client.get(reverse("changes:feed")).content)
    ids = [entry.find(f"{ATOM}id").text for entry in feed.findall(f"{ATOM}entry")]
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles[0].startswith("city merged: Old Town")
    assert any(t.startswith("city deleted: Atlantis") for t in titles)
    assert len(ids) == len(set(ids))
    authors = {
        entry.find(f"{ATOM}author/{ATOM}name").text for entry in feed.findall(f"{ATOM}entry")
    }
    assert authors <= {"staff", "import"}


def test_a_city_feed_follows_the_city_and_its_links(client, story):
    url = reverse("changes:city-feed", args=[story.tel_aviv.slug])
    feed = ET.fromstring(client.get(url).content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert any(t.startswith("city changed: Tel Aviv") for t in titles)
    assert any(t.startswith("partnership changed: Beijing") for t in titles)  # the admin edit
    assert any(t.startswith("partnership merged") for t in titles)
    assert not any("Atlantis" in t for t in titles)


def test_a_partnership_feed_and_the_record_pages_link_to_their_feeds(client, story):
    url = reverse("changes:partnership-feed", args=[story.link.pk])
    feed = ET.fromstring(client.get(url).content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles and all("Beijing" in t or "source" in t or "area" in t for t in titles)
    assert url in client.get(story.link.get_absolute_url()).content.decode()
    city_feed = reverse("changes:city-feed", args=[story.beijing.slug])
    assert city_feed in client.get(story.beijing.get_absolute_url()).content.decode()
    assert client.get(reverse("changes:city-feed", args=["nowhere"])).status_code == 404


def test_only_staff_users_names_show_and_a_viewer_counts_as_staff(client, story):
    viewer = UserFactory(username="viewer-x", groups=["viewers"], is_staff=True)
    client.force_login(viewer)
    assert "by editor" in client.get(reverse("changes:list")).content.decode()
