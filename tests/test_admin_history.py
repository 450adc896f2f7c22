"""Edit history in the admin: who changed what and when, and putting an old version back."""

import pytest
from django.urls import reverse

from partnerships.models import CooperationArea, Partnership, PartnershipArea
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(seed):
    return Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")


def change_url(link):
    return reverse("admin:partnerships_partnership_change", args=[link.pk])


def history_url(link):
    return reverse("admin:partnerships_partnership_history", args=[link.pk])


def revert_url(link, record):
    return reverse(
        "admin:partnerships_partnership_simple_history", args=[link.pk, record.history_id]
    )


def edit_status(client, link, status):
    data = form_data(client.get(change_url(link)), status=status)
    response = client.post(change_url(link), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_the_history_page_shows_an_admin_edit_with_its_author_and_change(client, link, editor):
    client.force_login(editor)

    edit_status(client, link, "suspended")
    page = client.get(history_url(link)).content.decode()

    record = link.history.first()
    assert record.history_user == editor
    assert record.history_type == "~"
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    newest = rows[0]
    assert ">editor</a>" in newest
    assert "Changed status in the admin." in newest
    change = newest.split("<strong>Status:</strong>")[1].split("</li>")[0]
    old, new = (" ".join(side.replace("&nbsp;", " ").split()) for side in change.split("&rarr;"))
    assert (old, new) == ("active", "suspended")
    # Below it, the seed's version as it was before the edit (loaddata records none).
    assert len(rows) == 2
    assert "as stored before its first recorded edit" in rows[1]


def test_reverting_from_history_restores_the_old_version_as_a_new_edit(client, link, editor):
    client.force_login(editor)
    edit_status(client, link, "ended")
    original = link.history.earliest("history_date")

    form_page = client.get(revert_url(link, original))
    assert form_page.status_code == 200
    assert "Revert" in form_page.content.decode()
    response = client.post(revert_url(link, original), form_data(form_page))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == Partnership.Status.ACTIVE
    assert link.start.isoformat() == "1998" and link.start_is_approximate
    newest = link.history.first()
    assert (newest.history_user, newest.status) == (editor, "active")
    assert (
        newest.history_change_reason == f"Reverted to version {original.history_id} in the admin."
    )
    assert link.history.count() == 3  # the seed, the edit, the revert


def test_a_viewer_reads_history_but_cannot_revert(client, link, editor, viewer):
    client.force_login(editor)
    edit_status(client, link, "ended")
    original = link.history.earliest("history_date")
    data = form_data(client.get(revert_url(link, original)))
    client.force_login(viewer)

    history = client.get(history_url(link))
    old_version = client.get(revert_url(link, original))
    posted = client.post(revert_url(link, original), data)

    assert history.status_code == 200
    assert ">editor</a>" in history.content.decode()
    assert old_version.status_code == 200
    assert 'value="Revert' not in old_version.content.decode()
    assert posted.status_code == 403
    link.refresh_from_db()
    assert link.status == Partnership.Status.ENDED


def test_adding_an_area_inline_is_kept_in_the_through_rows_history(client, link, editor):
    client.force_login(editor)
    science = CooperationArea.objects.get(slug="science")
    page = client.get(change_url(link))
    data = form_data(page)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is PartnershipArea
    )
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    data[f"{prefix}-{row}-area"] = str(science.pk)
    data[f"{prefix}-{row}-partnership"] = str(link.pk)

    response = client.post(change_url(link), data)

    assert response.status_code == 302
    added = PartnershipArea.objects.get(partnership=link, area=science)
    record = added.history.get()
    assert (record.history_type, record.history_user) == ("+", editor)
    history = client.get(
        reverse("admin:partnerships_partnershiparea_history", args=[added.pk])
    ).content.decode()
    assert ">editor</a>" in history
