"""Content Security Policy on every response, secure cookies and HSTS in production,
and `check --deploy` clean with production settings."""

import json
import subprocess
import sys

from tests.reliability_support import BASE_DIR, production_env


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_every_page_carries_a_policy_that_allows_scripts_only_from_this_site(client, db):
    for path in ["/admin/login/", "/api/v1/", "/"]:
        policy = directives(client.get(path))

        assert policy["script-src"] == ["'self'"], path  # no inline, no eval, no CDN
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]


def test_the_policy_lets_the_map_load_its_tiles(client, db, settings):
    policy = directives(client.get("/"))

    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert settings.MAP_TILE_URL.startswith("https://tile.openstreetmap.org/")


def test_the_503_page_is_sent_with_the_policy_too(client, db, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def refuse(self):
        raise OperationalError("down")

    monkeypatch.setattr(SessionStore, "load", refuse)
    client.cookies["sessionid"] = "x" * 32

    response = client.get("/admin/login/")

    assert response.status_code == 503
    assert "script-src 'self'" in response["Content-Security-Policy"]


def production_settings(*names: str) -> dict:
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_env(SECURE_SSL_REDIRECT="1"),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_cookies_are_secure_and_https_is_enforced():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
    )

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_check_deploy_prints_no_warning_with_production_settings(collected_static):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(SECURE_SSL_REDIRECT="1", STATIC_ROOT=str(collected_static)),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_policy_made_once_is_django_csp_s_own(db, settings):
    """config.middleware.CSPMiddleware keeps the headers of a plain response: the same
    as django-csp's on every kind of response, a nonce or a view's own policy built
    by django-csp each time, and a new setting seen at once."""
    from csp.middleware import CSPMiddleware as StockMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from config.middleware import CSPMiddleware

    def answer(middleware_class, path, *, nonce=False, update=None):
        request = RequestFactory().get(path)

        def view(request):
            if nonce:
                str(request.csp_nonce)
            response = HttpResponse("ok")
            if update:
                response._csp_update = update
            return response

        response = middleware_class(view)(request)
        policy = response.get("Content-Security-Policy")
        if nonce:  # the nonce differs each time: compare the rest
            policy = policy.replace(request._csp_nonce, "NONCE")
        return policy

    cases = [
        ("/api/v1/", {}),
        ("/", {}),
        ("/", {"nonce": True}),
        ("/", {"update": {"img-src": ["https://maps.example"]}}),
    ]
    for _ in range(2):  # made, then kept
        for path, options in cases:
            ours = answer(CSPMiddleware, path, **options)
            assert ours == answer(StockMiddleware, path, **options), (path, options)
    assert "'nonce-NONCE'" in answer(CSPMiddleware, "/", nonce=True)
    assert "https://maps.example" in answer(
        CSPMiddleware, "/", update={"img-src": ["https://maps.example"]}
    )

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert answer(CSPMiddleware, "/api/v1/") == "default-src 'none'"
