"""Staff review suggestions in the admin: accepting applies the change through the
model's validation with history citing the suggestion and its source; rejecting
changes nothing. Written through the admin with real transactions (select_for_update)."""

import pytest
from django.test import Client
from django.urls import reverse

from cities.models import City
from partnerships.models import Partnership, PartnershipSource, Source
from suggestions.models import Suggestion
from suggestions.services import ReviewError, accept_suggestion
from tests import changes_story
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(editor):
    client = Client()
    client.force_login(editor)
    return client


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def decide(staff, suggestion, decision, note=""):
    return staff.post(change_url(suggestion), {"staff_note": note, decision: "1"}, follow=True)


def test_accepting_changes_the_record_with_history_citing_the_suggestion(staff, editor):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    response = decide(staff, suggestion, "_accept", note="Checked against the census.")
    assert "Accepted" in response.content.decode()

    beijing = City.objects.get(slug="beijing")
    assert beijing.population == 21893095
    latest = beijing.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith(f"Suggestion #{suggestion.pk} accepted")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by, suggestion.staff_note) == (
        "accepted",
        editor,
        "Checked against the census.",
    )
    assert suggestion.source.url == "https://example.org/census-2020"
    assert suggestion.source.publisher == "example.org"


def test_accepting_a_correction_of_a_link_adds_its_source_to_the_link(staff, editor):
    changes_story.seeded()
    link = Partnership.objects.get()
    client = Client()
    client.post(
        reverse("suggestions:partnership", args=[link.pk]),
        {
            "field": "status",
            "proposed_value": "ended",
            "message": "Ended in 2019.",
            "source_title": "Tel Aviv council minutes, March 2019",
        },
    )
    suggestion = Suggestion.objects.get()
    decide(staff, suggestion, "_accept")
    link.refresh_from_db()
    assert link.status == "ended"
    source = Source.objects.get(title="Tel Aviv council minutes, March 2019")
    assert link.sources.filter(pk=source.pk).exists()
    cited = PartnershipSource.history.get(source_id=source.pk)
    assert cited.history_user == editor and "Suggestion #" in cited.history_change_reason


def test_accepting_a_new_partnership_creates_the_link_at_its_precision(staff, editor):
    changes_story.seeded()
    other = City.objects.create(name="Haifa", slug="haifa", country="IL")
    Client().post(
        reverse("suggestions:new-partnership", args=["beijing"]),
        {
            "partner": "haifa",
            "proposed_kind": "friendship",
            "proposed_status": "active",
            "proposed_start": "2001-05",
            "source_url": "https://example.org/haifa",
        },
    )
    suggestion = Suggestion.objects.get()
    decide(staff, suggestion, "_accept")
    link = Partnership.objects.get(kind="friendship")
    assert {link.city_a, link.city_b} == {City.objects.get(slug="beijing"), other}
    assert link.start.isoformat() == "2001-05"
    assert link.sources.get().url == "https://example.org/haifa"
    suggestion.refresh_from_db()
    assert suggestion.created_partnership == link


def test_a_suggestion_breaking_a_model_rule_is_not_applied_and_stays_new(staff):
    changes_story.seeded()
    link = Partnership.objects.get()
    # The link started about 1998: an end in 1990 is before its start.
    Client().post(
        reverse("suggestions:partnership", args=[link.pk]),
        {"field": "end_date", "proposed_value": "1990", "message": "Ended.", "source_title": "doc"},
    )
    suggestion = Suggestion.objects.get()
    response = decide(staff, suggestion, "_accept")
    assert "Not applied" in response.content.decode()
    link.refresh_from_db()
    assert link.end_date is None
    suggestion.refresh_from_db()
    assert suggestion.status == "new"
    assert not Source.objects.filter(title="doc").exists()


def test_rejecting_changes_nothing_and_needs_a_reason(staff, editor):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    population = City.objects.get(slug="beijing").population
    history = City.history.count()

    refused = decide(staff, suggestion, "_reject", note="")
    assert "Say why" in refused.content.decode()
    decide(staff, suggestion, "_reject", note="The census counts the whole municipality.")

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by) == ("rejected", editor)
    assert City.objects.get(slug="beijing").population == population
    assert City.history.count() == history
    with pytest.raises(ReviewError):
        accept_suggestion(suggestion=suggestion, reviewer=editor)


def test_a_duplicate_is_marked_so(staff):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    decide(staff, suggestion, "_duplicate", note="Same as #1.")
    suggestion.refresh_from_db()
    assert suggestion.status == "duplicate"


def test_a_viewer_sees_the_queue_but_cannot_accept(viewer):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    client = Client()
    client.force_login(viewer)
    assert client.get(reverse("admin:suggestions_suggestion_changelist")).status_code == 200
    page = client.get(change_url(suggestion)).content.decode()
    assert "_accept" not in page
    response = client.post(change_url(suggestion), {"_accept": "1"})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "new"


def test_hostile_text_is_escaped_in_the_queue_and_the_review_page(staff):
    changes_story.seeded()
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    suggestion = changes_story.suggest(
        field="name",
        proposed_value=hostile,
        message=hostile,
        note=hostile,
        source_title=hostile,
        source_url="https://example.org/?q=<b>",
    )
    for url in [reverse("admin:suggestions_suggestion_changelist"), change_url(suggestion)]:
        body = staff.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;" in body


def test_the_review_page_shows_the_record_and_the_proposal_side_by_side(staff):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    body = staff.get(change_url(suggestion)).content.decode()
    table = body.split("stored now")[1].split("</table>")[0]
    beijing = City.objects.get(slug="beijing")
    stored = str(beijing.population) if beijing.population is not None else "—"
    assert stored in table and "21893095" in table
    assert "reader@example.org" in body  # staff may follow up


def test_the_changes_page_shows_an_accepted_suggestion(staff, client):
    changes_story.seeded()
    suggestion = changes_story.suggest()
    decide(staff, suggestion, "_accept")
    page = Client().get("/changes/").content.decode()
    assert f"Suggestion #{suggestion.pk} accepted" in page
    assert "reader@example.org" not in page


def test_only_staff_reach_the_queue(db):
    changes_story.seeded()
    outsider = UserFactory(username="reader", is_staff=False)
    client = Client()
    client.force_login(outsider)
    response = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert response.status_code == 302  # to the admin login
