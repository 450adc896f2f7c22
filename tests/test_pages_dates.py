"""The template helpers that keep dates at their real precision and ordinals in English."""

import datetime as dt

import pytest
from django.template import Context, Template

from common.dates import PartialDate, Precision
from public.templatetags.public_tags import ordinal, partial


def render(source: str, **context) -> str:
    return Template("{% load public_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "approximate", "shown"),
    [
        (PartialDate(dt.date(1998, 1, 1), Precision.YEAR), False, "1998"),
        (PartialDate(dt.date(1998, 1, 1), Precision.YEAR), True, "about 1998"),
        (PartialDate(dt.date(2018, 4, 1), Precision.MONTH), False, "April 2018"),
        (PartialDate(dt.date(2018, 4, 13), Precision.DAY), False, "13 April 2018"),
        (None, False, ""),
    ],
)
def test_partial_shows_only_what_is_known(value, approximate, shown):
    assert partial(value, approximate) == shown


def test_when_gives_a_time_element_at_the_same_precision():
    year = PartialDate(dt.date(1998, 1, 1), Precision.YEAR)
    month = PartialDate(dt.date(2018, 4, 1), Precision.MONTH)
    assert render("{% when d True %}", d=year) == '<time datetime="1998">about 1998</time>'
    assert render("{% when d %}", d=month) == '<time datetime="2018-04">April 2018</time>'


def test_when_says_what_is_unknown():
    assert render("{% when d %}", d=None) == '<span class="unknown">not recorded</span>'
    assert render('{% when d unknown="—" %}', d=None) == '<span class="unknown">—</span>'


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (None, ""),
    ],
)
def test_ordinals_read_as_english(number, text):
    assert ordinal(number) == text
