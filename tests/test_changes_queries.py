"""The new pages and endpoints run a fixed number of queries, the same with 5 and 200 rows.

The data interleaves the kinds of change (a city created, a link created, an area
added to it, the city edited) so a page holds every kind at either size: the count
depends on the kinds on a page, never on its number of rows.
"""

import pytest
from django.urls import reverse

from partnerships.models import PartnershipArea
from suggestions.models import Suggestion
from tests.factories import CityFactory, CooperationAreaFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 200], ids=["5-rows", "200-rows"])


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CHANGES_API_SETTLE_SECONDS = 0


def build_changes(size: int):
    hub = CityFactory(name="Hub", slug="hub", country="IL")
    area = CooperationAreaFactory(name="Technology", slug="technology")
    area.description = "First"  # an early edit, for the API read from the start
    area.save()
    for n in range(size):
        city = CityFactory(name=f"Partner {n}", slug=f"partner-{n}")
        link = PartnershipFactory(city_a=hub, city_b=city)
        PartnershipArea(partnership=link, area=area).save()
        city.population = 1000 + n
        city.save()
    # The newest changes touch the hub and the area too, at either size.
    hub.population = 42
    hub.save()
    area.description = "Edited"
    area.save()


@SIZES
def test_the_changes_page(client, size, django_assert_num_queries):
    build_changes(size)
    # Country choices (1), the UNION of the positions (1); per kind on the page (city,
    # partnership, partnership-area, area) its rows (4), and for the edited kinds (city,
    # area) their earlier versions (2); the names it shows: cities, links, areas (3).
    with django_assert_num_queries(11):
        response = client.get(reverse("changes:list"))
    assert len(response.context["changes"]) == 50 if size == 200 else 20


@SIZES
def test_the_changes_page_filtered_by_country_and_kind(client, size, django_assert_num_queries):
    build_changes(size)
    # As above, less the area (areas belong to no country): the filters are
    # subqueries of the UNION, not queries of their own.
    with django_assert_num_queries(9):
        response = client.get(reverse("changes:list"), {"country": "FR", "kind": ""})
    assert response.context["changes"]


@SIZES
def test_the_changes_page_for_staff(client, size, editor, django_assert_num_queries):
    build_changes(size)
    client.force_login(editor)
    # As above, plus the session and its user (2); the users who made the changes are
    # not asked for: these were made outside a request, with no user.
    with django_assert_num_queries(13):
        client.get(reverse("changes:list"))


@SIZES
def test_the_atom_feed(client, size, django_assert_num_queries):
    build_changes(size)
    # The changes page's queries less the country choices.
    with django_assert_num_queries(10):
        client.get(reverse("changes:feed"))


@SIZES
def test_a_city_feed(client, size, django_assert_num_queries):
    build_changes(size)
    # The city (1), the UNION (1), rows of cities, links and their areas (3), earlier
    # city versions (1), names (3).
    with django_assert_num_queries(9):
        client.get(reverse("changes:city-feed", args=["hub"]))


@SIZES
def test_the_changes_api(client, size, django_assert_num_queries):
    build_changes(size)
    # The UNION (1), rows per kind (4), earlier versions of cities and areas (2),
    # names (3): the same as the page, less its country choices.
    with django_assert_num_queries(10):
        response = client.get("/api/v1/changes/", {"page_size": 500})
    assert len(response.json()["results"]) == min(4 * size + 5, 500)


@SIZES
def test_the_suggestion_queue_in_the_admin(client, size, editor, django_assert_num_queries):
    hub = CityFactory(slug="hub")
    Suggestion.objects.bulk_create(
        Suggestion(
            subject="city",
            city=hub,
            field="name",
            proposed_value=f"Hub {n}",
            message="m",
            source_title="doc",
        )
        for n in range(size)
    )
    client.force_login(editor)
    # Session, user, permissions (2), the filtered and total counts (2), the page with
    # every record it names (1, select_related), the date hierarchy (2).
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert response.status_code == 200
