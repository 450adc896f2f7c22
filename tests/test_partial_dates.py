"""Dates carry their precision: "about 1998" is 1998, never 1998-01-01."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.dates import PartialDate, Precision, truncate
from partnerships.models import Event, LiaisonOffice, Official, Partnership
from tests.factories import (
    CityFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    PartnershipFactory,
)

# (reduced ISO text, stored date, precision, human display)
EXAMPLES = [
    ("1998", dt.date(1998, 1, 1), Precision.YEAR, "1998"),
    ("2018-04", dt.date(2018, 4, 1), Precision.MONTH, "April 2018"),
    ("2018-04-13", dt.date(2018, 4, 13), Precision.DAY, "13 April 2018"),
    ("0900", dt.date(900, 1, 1), Precision.YEAR, "900"),
]


@pytest.mark.parametrize("text, date, precision, display", EXAMPLES)
def test_it_parses_each_precision(text, date, precision, display):
    assert PartialDate.parse(text) == PartialDate(date, precision)


@pytest.mark.parametrize("text, date, precision, display", EXAMPLES)
def test_it_writes_reduced_iso_at_its_precision(text, date, precision, display):
    partial = PartialDate(date, precision)
    assert partial.isoformat() == text
    assert str(partial) == text


@pytest.mark.parametrize("text, date, precision, display", EXAMPLES)
def test_it_displays_at_its_precision(text, date, precision, display):
    assert PartialDate(date, precision).display() == display


def test_it_ignores_surrounding_whitespace():
    assert PartialDate.parse("  1998 ") == PartialDate(dt.date(1998, 1, 1), Precision.YEAR)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "98",
        "19980",
        "1998-4",
        "1998-04-1",
        "1998/04/13",
        "13.04.2018",
        "April 2018",
        "2018-13",
        "2018-00",
        "2018-02-30",
        "2019-02-29",
        "2018-04-00",
        "2018-04-13T10:00",
        "-1998",
        "١٩٩٨",  # Arabic-Indic digits: \d would take them
    ],
)
def test_it_refuses_what_is_not_a_reduced_iso_date(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_the_error_says_which_forms_are_accepted():
    with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse("13/04/2018")


def test_a_leap_day_is_a_date():
    assert PartialDate.parse("2020-02-29").date == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "precision, expected",
    [
        (Precision.YEAR, dt.date(2018, 1, 1)),
        (Precision.MONTH, dt.date(2018, 4, 1)),
        (Precision.DAY, dt.date(2018, 4, 13)),
    ],
)
def test_truncate_drops_what_is_finer_than_the_precision(precision, expected):
    assert truncate(dt.date(2018, 4, 13), precision) == expected


def test_truncate_keeps_unknown_dates_unknown():
    assert truncate(None, Precision.YEAR) is None
    assert PartialDate.of(None, Precision.YEAR) is None


def test_of_truncates_and_defaults_to_day_precision():
    assert PartialDate.of(dt.date(2018, 4, 13), Precision.MONTH).isoformat() == "2018-04"
    assert PartialDate.of(dt.date(2018, 4, 13), None).isoformat() == "2018-04-13"


def test_partial_dates_with_the_same_value_compare_equal():
    assert PartialDate.of(dt.date(1998, 7, 9), Precision.YEAR) == PartialDate.parse("1998")


# --- on models: truncated on save, shown at the stored precision -----------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "precision, stored, shown",
    [
        (Precision.YEAR, dt.date(1998, 1, 1), "1998"),
        (Precision.MONTH, dt.date(1998, 6, 1), "1998-06"),
        (Precision.DAY, dt.date(1998, 6, 15), "1998-06-15"),
    ],
)
def test_a_partnership_start_is_truncated_on_save(precision, stored, shown):
    link = PartnershipFactory(start_date=dt.date(1998, 6, 15), start_precision=precision)
    link = Partnership.objects.get(pk=link.pk)
    assert link.start_date == stored
    assert link.start.isoformat() == shown


@pytest.mark.django_db
def test_about_1998_is_shown_as_1998_never_as_1998_01_01():
    link = PartnershipFactory(start_date=dt.date(1998, 1, 1), start_precision=Precision.YEAR)
    link = Partnership.objects.get(pk=link.pk)
    assert link.start.isoformat() == "1998"
    assert link.start.display() == "1998"
    assert "1998-01-01" not in (link.start.isoformat(), link.start.display(), str(link.start))


@pytest.mark.django_db
def test_an_unknown_end_stays_unknown():
    link = PartnershipFactory(end_date=None)
    assert link.end is None


@pytest.mark.django_db
def test_every_partial_date_on_every_model_is_truncated_on_save():
    official = OfficialFactory(
        term_start=dt.date(2017, 3, 9),
        term_start_precision=Precision.YEAR,
        term_end=dt.date(2019, 3, 9),
        term_end_precision=Precision.MONTH,
    )
    office = LiaisonOfficeFactory(
        announced_on=dt.date(2018, 4, 10),
        announced_precision=Precision.MONTH,
        opened_on=dt.date(2019, 5, 20),
        opened_precision=Precision.YEAR,
        closed_on=dt.date(2021, 8, 31),
        closed_precision=Precision.DAY,
    )
    event = EventFactory(date=dt.date(2018, 4, 10), date_precision=Precision.MONTH)

    official = Official.objects.get(pk=official.pk)
    # A start is kept as the first day of its period, an end as the last day.
    assert (official.term_start, official.term_end) == (dt.date(2017, 1, 1), dt.date(2019, 3, 31))
    office = LiaisonOffice.objects.get(pk=office.pk)
    assert office.announced_on == dt.date(2018, 4, 1)
    assert office.opened_on == dt.date(2019, 1, 1)
    assert office.closed_on == dt.date(2021, 8, 31)
    event = Event.objects.get(pk=event.pk)
    assert event.date == dt.date(2018, 4, 1)
    assert event.when.display() == "April 2018"
    assert str(event).startswith("2018-04: ")


@pytest.mark.django_db
def test_full_clean_truncates_too_so_forms_show_what_will_be_stored():
    link = PartnershipFactory.build(
        city_a=CityFactory(),
        city_b=CityFactory(),
        start_date=dt.date(1998, 6, 15),
        start_precision=Precision.YEAR,
    )
    link.full_clean()
    assert link.start_date == dt.date(1998, 1, 1)


@pytest.mark.django_db
def test_an_unknown_precision_is_refused_by_validation():
    link = PartnershipFactory.build(
        city_a=CityFactory(), city_b=CityFactory(), start_precision="week"
    )
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert "start_precision" in excinfo.value.message_dict


@pytest.mark.django_db
def test_an_unknown_precision_is_refused_by_the_database():
    link = PartnershipFactory.build(
        city_a=CityFactory(), city_b=CityFactory(), start_precision="week"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.bulk_create([link])


@pytest.mark.django_db
def test_an_end_coarser_than_the_start_may_fall_in_the_same_period():
    # Started 15 June 1998, ended "in 1998": not a contradiction.
    link = PartnershipFactory.build(
        city_a=CityFactory(),
        city_b=CityFactory(),
        start_date=dt.date(1998, 6, 15),
        start_precision=Precision.DAY,
        end_date=dt.date(1998, 1, 1),
        end_precision=Precision.YEAR,
    )
    link.full_clean()
    link.save()

    link = Partnership.objects.get(pk=link.pk)
    assert link.end_date == dt.date(1998, 12, 31)
    assert (link.end.isoformat(), link.end.display()) == ("1998", "1998")


@pytest.mark.django_db
def test_an_end_whose_whole_period_is_before_the_start_is_still_refused():
    link = PartnershipFactory.build(
        city_a=CityFactory(),
        city_b=CityFactory(),
        start_date=dt.date(1998, 6, 15),
        start_precision=Precision.DAY,
        end_date=dt.date(1998, 5, 1),
        end_precision=Precision.MONTH,
    )
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "end_date" in refused.value.message_dict
