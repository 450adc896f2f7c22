"""Nobody without the right writes: anonymous clients and `viewers` users are refused
on every write route of the API, the admin and the public pages, and nothing changes."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from config.api import router
from tests.factories import world_record
from tests.test_admin import REGISTERED, admin_url

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")


def everything_stored() -> dict[str, list]:
    """Every row of the data apps, to compare before and after."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for app in ("cities", "partnerships")
        for model in apps.get_app_config(app).get_models()
    }


def api_routes(client) -> list[tuple[str, str]]:
    """(method, url) for every write on every router resource: create, and
    replace/update/delete on one of its records."""
    routes = []
    for prefix, _viewset, _basename in router.registry:
        listing = f"/api/v1/{prefix}/"
        routes.append(("post", listing))
        results = client.get(listing).json()["results"]
        assert results, f"the seed has no {prefix}"
        detail = results[0]["url"].replace("http://testserver", "")
        routes += [(method, detail) for method in ("put", "patch", "delete")]
    return routes


def send(client, method, url, **extra):
    return getattr(client, method)(url, {}, format="json", **extra)


def test_anonymous_writes_through_the_api_are_401_and_change_nothing(api_client, seed):
    before = everything_stored()

    statuses = {(m, url): send(api_client, m, url).status_code for m, url in api_routes(api_client)}

    assert set(statuses.values()) == {401}, statuses
    assert everything_stored() == before


def test_viewer_writes_through_the_api_are_403_by_token_and_by_session(api_client, seed, viewer):
    before = everything_stored()
    routes = api_routes(api_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=viewer).key}")
    by_token = {(m, url): send(api_client, m, url).status_code for m, url in routes}
    session = Client(enforce_csrf_checks=False)
    session.force_login(viewer)
    by_session = {
        (m, url): getattr(session, m)(url, "{}", content_type="application/json").status_code
        for m, url in routes
    }

    assert set(by_token.values()) == {403}, by_token
    assert set(by_session.values()) == {403}, by_session
    assert everything_stored() == before


def test_other_api_endpoints_take_no_writes(api_client, seed, viewer):
    api_client.force_authenticate(viewer)
    for name in ("api:network-path", "api:network-stats", "api:schema"):
        response = api_client.post(reverse(name), {}, format="json")
        assert response.status_code in {403, 405}, (name, response.status_code)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_admin_refuses_every_write_of_a_viewer(client, seed, viewer, model):
    client.force_login(viewer)
    obj = model._default_manager.first() or world_record(model)
    before = everything_stored()

    add = client.post(admin_url(model, "add"), {})
    change = client.post(admin_url(model, "change", obj.pk), {})
    delete = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    bulk_delete = client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk_delete.status_code in {200, 302, 403}  # the action is not offered
    assert everything_stored() == before


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_admin_sends_an_anonymous_write_to_the_login_page(client, seed, model):
    obj = model._default_manager.first() or world_record(model)
    before = everything_stored()

    for url in (admin_url(model, "add"), admin_url(model, "change", obj.pk)):
        response = client.post(url, {})
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert everything_stored() == before


def test_public_pages_take_no_writes(seed):
    client = Client(enforce_csrf_checks=True)
    before = everything_stored()
    for url in ("/", "/cities/", "/partnerships/", "/search/", "/cities/beijing/"):
        response = client.post(url, {"name": "x"})
        assert response.status_code in {403, 405}, (url, response.status_code)
    assert everything_stored() == before
