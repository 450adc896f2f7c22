"""Each integrity rule, tried twice: against the database and through full_clean().

The database half bypasses save() and clean() (bulk_create, QuerySet.update), so
it proves the constraint itself holds, whatever code path writes the row. The
full_clean() half proves forms, the admin and the API get a ValidationError that
names the field, instead of a 500 from the database.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from cities.models import City
from partnerships.models import LiaisonOffice, Official, Partnership, PartnershipSource, Source
from tests.factories import (
    CityFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    PartnershipFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused_by_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def assert_invalid(obj, field):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    return excinfo.value.message_dict[field]


@pytest.fixture
def beijing():
    return CityFactory(name="Beijing", slug="beijing", country="CN", wikidata_id="Q956")


@pytest.fixture
def tel_aviv(beijing):
    # Created after Beijing, so it has the higher id: Beijing–Tel Aviv is canonical.
    return CityFactory(name="Tel Aviv", slug="tel-aviv", country="IL", wikidata_id="Q33935")


@pytest.fixture
def twinning(beijing, tel_aviv):
    return PartnershipFactory(city_a=beijing, city_b=tel_aviv, kind=Partnership.Kind.TWIN)


# --- Partnership: self-link ------------------------------------------------------------


def test_it_refuses_a_city_linked_to_itself_in_the_database(beijing):
    assert_refused_by_database(
        lambda: Partnership.objects.bulk_create([Partnership(city_a=beijing, city_b=beijing)])
    )


def test_it_refuses_a_city_linked_to_itself_in_validation(beijing):
    messages = assert_invalid(Partnership(city_a=beijing, city_b=beijing), "city_b")
    assert "itself" in messages[0]


# --- Partnership: duplicates -----------------------------------------------------------


def test_it_refuses_a_second_link_of_the_same_kind_in_the_database(twinning, beijing, tel_aviv):
    assert_refused_by_database(
        lambda: Partnership.objects.bulk_create(
            [Partnership(city_a=beijing, city_b=tel_aviv, kind=Partnership.Kind.TWIN)]
        )
    )
    assert Partnership.objects.count() == 1


def test_it_refuses_a_second_link_of_the_same_kind_in_validation(twinning, beijing, tel_aviv):
    messages = assert_invalid(
        Partnership(city_a=beijing, city_b=tel_aviv, kind=Partnership.Kind.TWIN), "city_b"
    )
    assert "already have" in messages[0]


def test_it_allows_a_second_link_of_another_kind(twinning, beijing, tel_aviv):
    other = Partnership(city_a=beijing, city_b=tel_aviv, kind=Partnership.Kind.FRIENDSHIP)
    other.full_clean()
    other.save()
    assert Partnership.objects.count() == 2


def test_it_refuses_the_reversed_duplicate_in_the_database(twinning, beijing, tel_aviv):
    # Written raw in reversed order: the canonical-order check refuses it.
    assert_refused_by_database(
        lambda: Partnership.objects.bulk_create(
            [Partnership(city_a=tel_aviv, city_b=beijing, kind=Partnership.Kind.TWIN)]
        )
    )
    assert Partnership.objects.count() == 1


def test_it_refuses_the_reversed_duplicate_in_validation(twinning, beijing, tel_aviv):
    reversed_link = Partnership(city_a=tel_aviv, city_b=beijing, kind=Partnership.Kind.TWIN)
    messages = assert_invalid(reversed_link, "city_b")
    assert "Beijing and Tel Aviv already have" in messages[0]
    assert "either order" in messages[0]


def test_it_refuses_the_reversed_duplicate_on_save(twinning, beijing, tel_aviv):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(city_a=tel_aviv, city_b=beijing, kind=Partnership.Kind.TWIN)
    assert Partnership.objects.count() == 1


def test_it_stores_a_link_entered_in_reverse_in_canonical_order(beijing, tel_aviv):
    link = Partnership(city_a=tel_aviv, city_b=beijing)
    link.full_clean()
    link.save()
    link.refresh_from_db()
    assert (link.city_a, link.city_b) == (beijing, tel_aviv)


def test_save_alone_puts_a_reversed_pair_in_canonical_order(beijing, tel_aviv):
    link = Partnership.objects.create(city_a=tel_aviv, city_b=beijing)
    stored = Partnership.objects.get(pk=link.pk)
    assert (stored.city_a_id, stored.city_b_id) == (beijing.pk, tel_aviv.pk)


# --- end before start ------------------------------------------------------------------


def test_it_refuses_a_link_ending_before_it_starts_in_the_database(twinning):
    assert_refused_by_database(
        lambda: Partnership.objects.filter(pk=twinning.pk).update(
            start_date=dt.date(2000, 1, 1), end_date=dt.date(1999, 12, 31)
        )
    )


def test_it_refuses_a_link_ending_before_it_starts_in_validation(twinning):
    twinning.start_date, twinning.start_precision = dt.date(2000, 5, 1), "day"
    twinning.end_date, twinning.end_precision = dt.date(2000, 4, 30), "day"
    assert_invalid(twinning, "end_date")


def test_it_refuses_a_term_ending_before_it_starts_in_the_database():
    official = OfficialFactory(term_start=dt.date(2017, 1, 1))
    assert_refused_by_database(
        lambda: Official.objects.filter(pk=official.pk).update(term_end=dt.date(2016, 12, 31))
    )


def test_it_refuses_a_term_ending_before_it_starts_in_validation():
    official = OfficialFactory.build(
        city=CityFactory(), term_start=dt.date(2017, 1, 1), term_end=dt.date(2016, 12, 31)
    )
    assert_invalid(official, "term_end")


def test_it_refuses_an_office_closing_before_it_opens_in_the_database():
    office = LiaisonOfficeFactory(opened_on=dt.date(2019, 1, 1))
    assert_refused_by_database(
        lambda: LiaisonOffice.objects.filter(pk=office.pk).update(closed_on=dt.date(2018, 12, 31))
    )


def test_it_refuses_an_office_closing_before_it_opens_in_validation():
    office = LiaisonOfficeFactory(opened_on=dt.date(2019, 1, 1))
    office.closed_on = dt.date(2018, 12, 31)
    assert_invalid(office, "closed_on")


# --- cities: coordinates and Wikidata IDs ----------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("latitude", Decimal("90.5")),
        ("latitude", Decimal("-91")),
        ("longitude", Decimal("180.5")),
        ("longitude", Decimal("-181")),
    ],
)
def test_it_refuses_coordinates_out_of_range_in_the_database(field, value):
    city = CityFactory.build(**{field: value})
    assert_refused_by_database(lambda: City.objects.bulk_create([city]))
    assert not City.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("latitude", Decimal("90.5")),
        ("latitude", Decimal("-91")),
        ("longitude", Decimal("180.5")),
        ("longitude", Decimal("-181")),
    ],
)
def test_it_refuses_coordinates_out_of_range_in_validation(field, value):
    assert_invalid(CityFactory.build(**{field: value}), field)


def test_it_accepts_the_poles_and_the_date_line():
    city = CityFactory.build(latitude=Decimal("-90"), longitude=Decimal("180"))
    city.full_clean()
    city.save()


def test_it_refuses_a_duplicate_wikidata_id_in_the_database(beijing):
    assert_refused_by_database(
        lambda: City.objects.bulk_create([CityFactory.build(wikidata_id="Q956")])
    )


def test_it_refuses_a_duplicate_wikidata_id_in_validation(beijing):
    messages = assert_invalid(CityFactory.build(wikidata_id="Q956"), "wikidata_id")
    assert "Wikidata ID" in messages[0]


def test_it_allows_many_cities_without_a_wikidata_id():
    City.objects.bulk_create([CityFactory.build(wikidata_id=""), CityFactory.build(wikidata_id="")])
    assert City.objects.filter(wikidata_id="").count() == 2


# --- liaison office abroad -------------------------------------------------------------


def test_it_refuses_an_office_hosted_in_its_home_city_in_the_database():
    office = LiaisonOfficeFactory()
    assert_refused_by_database(
        lambda: LiaisonOffice.objects.filter(pk=office.pk).update(host_city=office.home_city)
    )


def test_it_refuses_an_office_hosted_in_its_home_city_in_validation():
    office = LiaisonOfficeFactory()
    office.host_city = office.home_city
    assert_invalid(office, "host_city")


# --- PROTECT: nothing is deleted from under a record -----------------------------------


def _counts():
    return (City.objects.count(), Partnership.objects.count(), Official.objects.count())


def test_deleting_a_city_a_link_points_at_is_refused_and_nothing_is_removed(twinning, beijing):
    before = _counts()
    with pytest.raises(ProtectedError) as excinfo, transaction.atomic():
        beijing.delete()
    assert "protected" in str(excinfo.value.args[0]).lower()
    assert twinning in excinfo.value.protected_objects
    assert _counts() == before
    assert City.objects.filter(pk=beijing.pk).exists()


def test_deleting_the_other_city_of_a_link_is_refused_too(twinning, tel_aviv):
    with pytest.raises(ProtectedError), transaction.atomic():
        tel_aviv.delete()
    assert City.objects.filter(pk=tel_aviv.pk).exists()


def test_deleting_a_city_through_a_queryset_is_refused_too(twinning):
    before = _counts()
    with pytest.raises(ProtectedError), transaction.atomic():
        City.objects.all().delete()
    assert _counts() == before


def test_deleting_an_official_who_took_part_in_an_event_is_refused():
    official = OfficialFactory()
    event = EventFactory()
    event.participants.add(official)
    with pytest.raises(ProtectedError), transaction.atomic():
        official.delete()
    assert Official.objects.filter(pk=official.pk).exists()
    assert list(event.participants.all()) == [official]


def test_deleting_a_cited_source_is_refused(twinning):
    source = SourceFactory()
    twinning.sources.add(source)
    with pytest.raises(ProtectedError), transaction.atomic():
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()
    assert PartnershipSource.objects.filter(partnership=twinning, source=source).exists()


def test_deleting_a_city_nothing_points_at_is_allowed():
    city = CityFactory()
    city.delete()
    assert not City.objects.filter(pk=city.pk).exists()
