import os

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory, ensure_staff_groups

SEED_FIXTURES = ["seed"]


@pytest.fixture
def seed(db):
    """The Beijing–Tel Aviv announcement, loaded as `make run` loads it."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture
def staff_groups(db):
    ensure_staff_groups()


@pytest.fixture
def editor(staff_groups):
    return UserFactory(username="editor", groups=["editors"], is_staff=True)


@pytest.fixture
def viewer(staff_groups):
    return UserFactory(username="viewer", groups=["viewers"], is_staff=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: DRF's throttle counters live there, and a
    suite's worth of anonymous API calls would otherwise trip the per-minute limit."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request activates its page's
    language for the thread (LocaleMiddleware) and leaves it active, so a test after
    one that fetched a /he/ page would build its own addresses (reverse(),
    get_absolute_url()) under /he/."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API leaves its event loop registered on the main thread for
    # the rest of the session, so the browser tests go last: no ORM test runs after.
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after `collectstatic`, as the Dockerfile runs it: with DEBUG off the
    deploy check refuses to pass without it (ops/checks.py)."""
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    root = tmp_path_factory.mktemp("staticfiles")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
    )
    return root
