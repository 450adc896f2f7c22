import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory

SEED_FIXTURES = ["seed"]


@pytest.fixture
def seed(db):
    """The Beijing–Tel Aviv announcement, loaded as `make run` loads it."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["editors"], is_staff=True)


@pytest.fixture
def viewer(db):
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


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API leaves its event loop registered on the main thread for
    # the rest of the session, so the browser tests go last: no ORM test runs after.
    items.sort(key=lambda item: "browser" in item.keywords)
