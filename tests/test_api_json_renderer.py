"""The orjson renderer writes DRF's JSONRenderer's bytes, whatever the values."""

import datetime as dt
import random
from collections import OrderedDict
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.fastread import OrjsonRenderer

VALUES = [
    {"a": 1, "b": [1, 2.5, None, True, False], "c": "北京 תל אביב"},
    OrderedDict([("z", 1), ("a", 2)]),
    {"floats": [1e-05, 1.5e-07, -1e-06, 2.5e-05, 0.0001, 1e16, 1e22, 39.90403, -0.000073]},
    {"line separators": "a\u2028b\u2029c", "quote": '"\\/'},
    {"when": dt.datetime(2018, 4, 13, 9, 30, 15, 123456, tzinfo=dt.UTC)},
    {"day": dt.date(1998, 1, 1), "time": dt.time(12, 30)},
    {"decimal": Decimal("32.080000"), "lazy": gettext_lazy("Not found.")},
    {1: "int key", "big": 2**70},
    {"text that looks like a float": "0.00001 and 1e-5"},
    [],
    "plain",
]


@pytest.mark.parametrize("data", VALUES)
def test_same_bytes_as_drf(data):
    assert OrjsonRenderer().render(data) == JSONRenderer().render(data)


def test_same_bytes_for_coordinates():
    rng = random.Random(10)
    for _ in range(2000):
        value = float(Decimal(rng.randint(-180_000_000, 180_000_000)) / Decimal(1_000_000))
        small = float(Decimal(rng.randint(-99, 99)) / Decimal(1_000_000))
        data = {"latitude": value, "longitude": small}
        assert OrjsonRenderer().render(data) == JSONRenderer().render(data)


def test_indented_answers_are_drf_s():
    data = {"a": [1, {"b": 2}]}
    context = {"indent": 4}
    assert OrjsonRenderer().render(data, "application/json", context) == JSONRenderer().render(
        data, "application/json", context
    )
    assert OrjsonRenderer().render(None) == b""
