"""Property tests (Hypothesis): rules that must hold for any input, not only for the
examples someone thought of.

- a link entered in either order is the same link;
- a date with its precision survives a write and a read through the API, at every
  precision;
- any text a user can store is escaped on every public page.

Each example runs in its own transaction (hypothesis.extra.django.TestCase).
"""

import datetime as dt

from django.core.cache import cache
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.dates import PartialDate, Precision
from partnerships.choices import PartnershipKind
from partnerships.models import Partnership
from tests.factories import (
    CityFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
    QuoteFactory,
    SourceFactory,
    UserFactory,
)

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


class ApiPropertyTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        editor = UserFactory(username="property-editor", groups=["editors"], is_staff=True)
        cls.token = Token.objects.create(user=editor).key
        cls.cities = [CityFactory(slug=f"city-{n}", country=c) for n, c in enumerate("FRILCN")]

    def setup_example(self):
        super().setup_example()
        cache.clear()  # throttle counters
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {self.token}")


class LinkOrderProperties(ApiPropertyTestCase):
    @PROPERTY_SETTINGS
    @given(
        first=st.integers(0, 5),
        second=st.integers(0, 5),
        kind=st.sampled_from(PartnershipKind.values),
    )
    def test_a_link_entered_in_either_order_is_the_same_link(self, first, second, kind):
        assume(first != second)
        one, other = self.cities[first], self.cities[second]

        created = self.api.post(
            "/api/v1/partnerships/",
            {"city_a": one.slug, "city_b": other.slug, "kind": kind},
            format="json",
        )
        reversed_ = self.api.post(
            "/api/v1/partnerships/",
            {"city_a": other.slug, "city_b": one.slug, "kind": kind},
            format="json",
        )

        assert created.status_code == 201, created.json()
        assert reversed_.status_code == 400, reversed_.json()
        link = Partnership.objects.get()
        assert link.city_a_id < link.city_b_id
        body = created.json()
        assert {body["city_a"]["slug"], body["city_b"]["slug"]} == {one.slug, other.slug}
        for slug in (one.slug, other.slug):
            listed = self.api.get("/api/v1/partnerships/", {"city": slug}).json()
            assert [row["id"] for row in listed["results"]] == [link.pk]


partial_dates = st.builds(
    PartialDate.of,
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(Precision.values),
)


class PartialDateProperties(ApiPropertyTestCase):
    @PROPERTY_SETTINGS
    @given(start=partial_dates)
    def test_a_partnership_start_survives_write_and_read_at_its_precision(self, start):
        created = self.api.post(
            "/api/v1/partnerships/",
            {"city_a": "city-0", "city_b": "city-1", "start": start.isoformat()},
            format="json",
        )
        assert created.status_code == 201, created.json()

        read = self.api.get(created.json()["url"]).json()

        assert read["start"] == start.isoformat()
        stored = Partnership.objects.get()
        assert stored.partial_date("start_date") == start

    @PROPERTY_SETTINGS
    @given(date=partial_dates, later=partial_dates)
    def test_an_event_date_survives_write_edit_and_read(self, date, later):
        created = self.api.post(
            "/api/v1/events/",
            {"date": date.isoformat(), "kind": "meeting", "title": "A meeting"},
            format="json",
        )
        assert created.status_code == 201, created.json()
        assert self.api.get(created.json()["url"]).json()["date"] == date.isoformat()

        edited = self.api.patch(created.json()["url"], {"date": later.isoformat()}, format="json")

        assert edited.status_code == 200, edited.json()
        assert self.api.get(created.json()["url"]).json()["date"] == later.isoformat()


# Text a user could type into any field: every Unicode character that PostgreSQL
# can store (no NUL, no lone surrogates), plus markup that must never reach a page
# unescaped: a tag and an attribute break-out, both with a marker no template uses.
user_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
TAG, ATTRIBUTE = "<zq-tag", 'zq-attr="'


def with_markup(text: str) -> str:
    return f'{text}{TAG} x>"\' {ATTRIBUTE}1" &amp; {text}'


class EscapingProperties(TestCase):
    @PROPERTY_SETTINGS
    @given(text=user_text)
    def test_any_text_is_escaped_on_every_public_page(self, text):
        cache.clear()
        payload = with_markup(text)
        source = SourceFactory(title=payload, publisher=payload[:200])
        city = CityFactory(name=payload, native_name=payload, region=payload, description=payload)
        partner = CityFactory(name=payload[::-1])
        link = PartnershipFactory(city_a=city, city_b=partner, description=payload)
        link.sources.add(source)
        organization = OrganizationFactory(name=payload, short_name=payload[:100], city=city)
        office = LiaisonOfficeFactory(
            name=payload, organization=organization, host_city=partner, purpose=payload
        )
        official = OfficialFactory(name=payload, title=payload, city=city)
        event = EventFactory(
            title=payload, summary=payload, partnership=link, liaison_office=office, city=city
        )
        event.participants.add(official)
        QuoteFactory(official=official, event=event, text=payload, source=source)

        pages = [
            "/",
            "/cities/",
            f"/cities/{city.slug}/",
            "/partnerships/",
            f"/partnerships/{link.pk}/",
            "/offices/",
            f"/offices/{office.slug}/",
            f"/officials/{official.slug}/",
            "/network/",
            f"/search/?q={city.slug}",
        ]
        for url in pages:
            response = self.client.get(url)
            page = response.content.decode()
            assert response.status_code == 200, (url, response.status_code)
            assert TAG not in page, url
            assert ATTRIBUTE not in page, url

    @PROPERTY_SETTINGS
    @given(text=user_text)
    def test_a_search_term_is_escaped_where_the_page_repeats_it(self, text):
        response = self.client.get("/search/", {"q": with_markup(text)[:200]})

        assert response.status_code in {200, 400}
        assert TAG not in response.content.decode()
        assert ATTRIBUTE not in response.content.decode()
