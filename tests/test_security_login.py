"""Admin login: repeated failures lock the account out from that address (django-axes);
logins that do not come over HTTP (force_login, the test client) and the API's
token and session authentication are unaffected."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_it_lets_staff_in_with_the_right_password(client, editor):
    response = login(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_it_locks_an_account_out_after_five_failed_logins(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(client, "editor", "guess").status_code == 200  # the form again
    fifth = login(client, "editor", "guess")
    right_password = login(client, "editor", PASSWORD)

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    assert b"too many login attempts" in right_password.content
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_it_does_not_lock_out_another_user_from_the_same_address(client, editor, viewer):
    for _ in range(5):
        login(client, "editor", "guess")

    assert login(client, "viewer", PASSWORD).status_code == 302


def test_it_forgets_failures_after_a_successful_login(client, editor):
    for _ in range(4):
        login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert login(client, "editor", "guess").status_code == 200
    assert login(client, "editor", PASSWORD).status_code == 302


def test_force_login_and_test_client_login_still_work(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    client.logout()

    assert client.login(username="editor", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_token_authentication_is_not_affected_by_a_lock_out(client, api_client, editor):
    for _ in range(6):
        login(client, "editor", "guess")
    token = Token.objects.create(user=editor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get("/api/v1/")

    assert response.status_code == 200
    assert response.wsgi_request.user == editor


@pytest.mark.parametrize("weak", ["password", "12345678", "short", "editor1"])
def test_it_refuses_weak_passwords(editor, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=editor)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_refused_or_missing_next_lands_on_the_admin_index(client, editor, next_url):
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
