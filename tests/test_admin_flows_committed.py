"""The admin's write flows as staff meet them: each request commits on its own, outside
any test transaction, so a row lock taken outside the view's transaction fails here as
it does in production on PostgreSQL (pytest-django's usual per-test transaction would
hide it). Change, history, revert, add, and a delete refused."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cities.models import City
from partnerships.models import Partnership
from tests.factories import UserFactory
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_client(client):
    call_command("loaddata", "seed", verbosity=0)
    client.force_login(UserFactory(username="editor", groups=["editors"], is_staff=True))
    return client


@pytest.fixture
def link(staff_client):
    return Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")


def url(name, *args):
    return reverse(f"admin:partnerships_partnership_{name}", args=args)


def test_change_then_history_then_revert_each_commit(staff_client, link):
    change = staff_client.get(url("change", link.pk))
    saved = staff_client.post(url("change", link.pk), form_data(change, status="ended"))
    assert saved.status_code == 302
    link.refresh_from_db()
    assert link.status == "ended"

    history = staff_client.get(url("history", link.pk))
    assert history.status_code == 200
    assert "Changed status in the admin." in history.content.decode()

    original = link.history.earliest("history_date")
    revert_url = url("simple_history", link.pk, original.history_id)
    form_page = staff_client.get(revert_url)
    assert form_page.status_code == 200
    reverted = staff_client.post(revert_url, form_data(form_page))
    assert reverted.status_code == 302, reverted.content.decode()[:2000]
    link.refresh_from_db()
    assert link.status == Partnership.Status.ACTIVE
    assert link.history.first().history_change_reason == (
        f"Reverted to version {original.history_id} in the admin."
    )


def test_a_stale_revert_is_refused_not_a_server_error(staff_client, link):
    original = link.history.earliest("history_date") if link.history.exists() else None
    change = staff_client.get(url("change", link.pk))
    staff_client.post(url("change", link.pk), form_data(change, status="ended"))
    original = link.history.earliest("history_date")
    revert_url = url("simple_history", link.pk, original.history_id)
    form_page = staff_client.get(revert_url)
    # Someone else saves in between.
    Partnership.objects.filter(pk=link.pk).update(status="suspended")

    refused = staff_client.post(revert_url, form_data(form_page))
    assert refused.status_code == 200
    assert "Someone else changed this partnership" in refused.content.decode()
    link.refresh_from_db()
    assert link.status == "suspended"


def test_adding_a_link_commits(staff_client):
    haifa = City.objects.create(name="Haifa", slug="haifa", country="IL")
    beijing = City.objects.get(slug="beijing")
    add = staff_client.get(url("add"))
    data = form_data(add, city_a=beijing.pk, city_b=haifa.pk, kind="twin", status="active")
    response = staff_client.post(url("add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Partnership.objects.involving(haifa).count() == 1


def test_deleting_a_cited_city_is_refused(staff_client):
    beijing = City.objects.get(slug="beijing")
    delete_url = reverse("admin:cities_city_delete", args=[beijing.pk])
    posted = staff_client.post(delete_url, {"post": "yes"})
    assert posted.status_code == 200
    assert "Cannot delete city" in posted.content.decode()
    assert City.objects.filter(pk=beijing.pk).exists()
