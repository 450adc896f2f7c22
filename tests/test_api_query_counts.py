"""Every list runs a fixed number of queries: the same with 5 rows as with 200.

Each expected count is spelt out query by query. Anonymous requests, so no session
or token lookup is among them.
"""

import pytest

from api import sqljson
from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
    QuoteFactory,
    SourceFactory,
)

SIZES = [5, 200]


@pytest.fixture
def area(db):
    return CooperationAreaFactory(slug="technology")


@pytest.fixture
def source(db):
    return SourceFactory()


def links(n, area, source, hub=None):
    made = []
    for _ in range(n):
        link = PartnershipFactory(city_a=hub or CityFactory(), city_b=CityFactory())
        link.areas.add(area)
        link.sources.add(source)
        made.append(link)
    return made


def get_page(api_client, url, rows, **params):
    response = api_client.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, response.json()
    assert len(response.json()["results"]) == rows
    return response


@pytest.mark.parametrize("n", SIZES)
def test_partnerships(api_client, django_assert_num_queries, area, source, n):
    links(n, area, source)
    # count, ids of the page, those links with both cities joined, their sources and
    # areas (one statement); on PostgreSQL the count (kept by partnerships/
    # country_counts.py) comes with the ids, and the last two are one statement that
    # writes the records' JSON (api/sqljson.py)
    with django_assert_num_queries(2 if sqljson.supported() else 4):
        get_page(api_client, "/api/v1/partnerships/", n)


@pytest.mark.parametrize("n", SIZES)
def test_partnerships_filtered_by_country(api_client, django_assert_num_queries, area, source, n):
    links(n, area, source)
    # The lean read: the page's ids with the count of all; those links with both
    # cities joined; their sources and areas (on PostgreSQL one statement, as above).
    with django_assert_num_queries(2 if sqljson.supported() else 3):
        get_page(api_client, "/api/v1/partnerships/", n, country="FR")


@pytest.mark.parametrize("n", SIZES)
def test_partnerships_filtered_by_country_through_the_view(
    api_client, django_assert_num_queries, area, source, n, settings
):
    settings.API_LEAN_READS = False
    links(n, area, source)
    with django_assert_num_queries(4):
        get_page(api_client, "/api/v1/partnerships/", n, country="FR")


@pytest.mark.parametrize("n", SIZES)
def test_partnerships_filtered_by_city_and_area(
    api_client, django_assert_num_queries, area, source, n
):
    hub = CityFactory(slug="hub")
    links(n, area, source, hub=hub)
    # + the city and the area named by the filters, checked to exist
    with django_assert_num_queries(6):
        get_page(api_client, "/api/v1/partnerships/", n, city="hub", area="technology")


@pytest.mark.parametrize("n", SIZES)
def test_facets(api_client, django_assert_num_queries, area, source, n):
    links(n, area, source)
    # (kind, status), country of side A (and links within one country), of side B, decade
    with django_assert_num_queries(4):
        assert api_client.get("/api/v1/partnerships/facets/").json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_cities(api_client, django_assert_num_queries, area, source, n):
    cities = CityFactory.create_batch(n)
    for a, b in zip(cities, cities[1:], strict=False):
        PartnershipFactory(city_a=a, city_b=b)
    # count, ids of the page, those cities with their partnership counts (subqueries)
    with django_assert_num_queries(3):
        get_page(api_client, "/api/v1/cities/", n)


@pytest.mark.parametrize("n", SIZES)
def test_partners_of_a_city(api_client, django_assert_num_queries, area, source, n):
    CityFactory(slug="hub")
    from cities.models import City

    links(n, area, source, hub=City.objects.get(slug="hub"))
    # The lean read (api/lean.py): the page's links with both cities and the count of
    # all, the city found by its slug in the same statement.
    with django_assert_num_queries(1):
        get_page(api_client, "/api/v1/cities/hub/partners/", n)


@pytest.mark.parametrize("n", SIZES)
def test_partners_of_a_city_through_the_view(
    api_client, django_assert_num_queries, area, source, n, settings
):
    settings.API_LEAN_READS = False
    CityFactory(slug="hub")
    from cities.models import City

    links(n, area, source, hub=City.objects.get(slug="hub"))
    # the city, count, ids of the page, those links with both cities
    with django_assert_num_queries(4):
        get_page(api_client, "/api/v1/cities/hub/partners/", n)


@pytest.mark.parametrize("n", SIZES)
def test_liaison_offices(api_client, django_assert_num_queries, area, source, n):
    for link in links(n, area, source):
        office = LiaisonOfficeFactory(partnership=link)
        office.focus_areas.add(area)
        office.sources.add(source)
    # count, ids of the page, the page with organisation, both cities and the link's
    # cities; focus areas; sources
    with django_assert_num_queries(5):
        get_page(api_client, "/api/v1/liaison-offices/", n)


@pytest.mark.parametrize("n", SIZES)
def test_officials(api_client, django_assert_num_queries, db, n):
    OfficialFactory.create_batch(n, organization=OrganizationFactory())
    # count, ids of the page, the page with city and organisation
    with django_assert_num_queries(3):
        get_page(api_client, "/api/v1/officials/", n)


@pytest.mark.parametrize("n", SIZES)
def test_organizations(api_client, django_assert_num_queries, source, n):
    from partnerships.models import OrganizationFigure

    for organization in OrganizationFactory.create_batch(n):
        OrganizationFigure.objects.create(
            organization=organization, metric="turnover", value=1, unit="CNY", source=source
        )
    # count, ids of the page, the page with city, figures
    with django_assert_num_queries(4):
        get_page(api_client, "/api/v1/organizations/", n)


@pytest.mark.parametrize("n", SIZES)
def test_events(api_client, django_assert_num_queries, area, source, n):
    for link in links(n, area, source):
        event = EventFactory(
            city=link.city_a, partnership=link, liaison_office=LiaisonOfficeFactory()
        )
        speaker = OfficialFactory()
        event.participants.add(speaker)
        event.sources.add(source)
        QuoteFactory(event=event, official=speaker, source=source)
    # count, ids of the page, the page with city, link and its cities, office;
    # participants; sources; quotes
    with django_assert_num_queries(6):
        get_page(api_client, "/api/v1/events/", n)


@pytest.mark.parametrize("n", SIZES)
def test_sources(api_client, django_assert_num_queries, db, n):
    SourceFactory.create_batch(n)
    with django_assert_num_queries(3):  # count, ids of the page, the page
        get_page(api_client, "/api/v1/sources/", n)


@pytest.mark.parametrize("n", SIZES)
def test_areas(api_client, django_assert_num_queries, db, n):
    CooperationAreaFactory.create_batch(n)
    with django_assert_num_queries(3):  # count, ids of the page, the page
        get_page(api_client, "/api/v1/areas/", n)
