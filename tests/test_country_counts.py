"""The links of each country counted by PostgreSQL's triggers (partnerships/
country_counts.py) equal Partnership.objects.in_country(code).count() after every
kind of write: the ORM, bulk_create, deletes, a link moved to another city, a city
moved to another country (through the country copy), a raw UPDATE, a merge of two
cities, TRUNCATE; the page read from the two country indexes is the page the rule
gives, and the number of all links (row `*`) with the page of every link.
Other databases count the links on each request (the portable fallback)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import Q

from api.prepared import PreparedQuery
from cities.models import City
from partnerships import country_counts
from partnerships import models as m
from partnerships.merging import merge_cities
from tests.factories import CityFactory, PartnershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the counts are kept on PostgreSQL only"
    ),
]


def _stored() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT country, links FROM {country_counts.COUNT_TABLE} WHERE links > 0")
        return dict(cursor.fetchall())


def _expected() -> dict:
    codes = set(m.Partnership.objects.values_list("country_a", flat=True))
    codes |= set(m.Partnership.objects.values_list("country_b", flat=True))
    found = {code: m.Partnership.objects.in_country([code]).count() for code in codes}
    found[country_counts.ALL] = m.Partnership.objects.count()
    return {code: n for code, n in found.items() if n}


def _world():
    cities = {code: [CityFactory(country=code) for _ in range(3)] for code in ("DE", "FR", "IL")}
    links = [
        PartnershipFactory(city_a=cities["DE"][0], city_b=cities["FR"][0]),
        PartnershipFactory(city_a=cities["DE"][1], city_b=cities["DE"][2]),  # counts once
        PartnershipFactory(city_a=cities["IL"][0], city_b=cities["DE"][0]),
        PartnershipFactory(city_a=cities["FR"][1], city_b=cities["IL"][1]),
    ]
    return cities, links


def test_the_counts_follow_every_write():
    cities, links = _world()
    assert _stored() == _expected() == {"DE": 3, "FR": 2, "IL": 2, "*": 4}

    links[0].delete()
    assert _stored() == _expected()

    link = links[1]
    link.city_b = cities["IL"][2]
    link.save()
    assert _stored() == _expected()

    city = cities["FR"][1]
    city.country = "DE"
    city.save()
    assert _stored() == _expected()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE cities_city SET country = 'NZ' WHERE id = %s", [cities["IL"][0].pk])
    assert _stored() == _expected()

    m.Partnership.objects.bulk_create(
        [m.Partnership(city_a=cities["FR"][2], city_b=other) for other in cities["IL"]]
    )
    assert _stored() == _expected()

    # An unchanged save moves nothing.
    before = _stored()
    links[2].refresh_from_db()
    links[2].save()
    assert _stored() == before


def test_a_merge_of_two_cities_keeps_the_counts():
    cities, _ = _world()
    keep, gone = cities["DE"][0], cities["DE"][1]
    PartnershipFactory(city_a=gone, city_b=cities["FR"][0])  # a duplicate after the merge
    merge_cities(keep=keep, merge=gone)
    assert _stored() == _expected()


def test_truncate_empties_the_counts():
    _world()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {m.Partnership._meta.db_table} CASCADE")
    assert _stored() == {}


def test_after_migrate_counts_again():
    _world()
    country_counts.uninstall(connection)
    PartnershipFactory(city_a=City.objects.filter(country="IL").first(), city_b=CityFactory())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {country_counts.COUNT_TABLE} SET links = links + 7")

    country_counts.after_migrate(connection)

    assert country_counts.present(connection) == set(country_counts.TRIGGERS)
    assert _stored() == _expected()


def test_a_page_and_its_count_are_the_rule_s():
    rng = random.Random(7)
    codes = ["DE", "FR", "IL", "US"]
    cities = [CityFactory(country=rng.choice(codes)) for _ in range(30)]
    pairs = {tuple(sorted(rng.sample(range(len(cities)), 2))) for _ in range(150)}
    for a, b in sorted(pairs)[:120]:
        PartnershipFactory(city_a=cities[a], city_b=cities[b])
    rule = PreparedQuery(
        lambda slot: (
            m.Partnership.objects.in_country([slot("country")]).order_by().values_list("pk")
        ),
        text={"country"},
    )
    for code in [*codes, "NZ"]:
        for limit, offset in ((10, 0), (7, 14), (50, 0), (500, 0), (5, 200)):
            expected = rule.keys_and_count(limit=limit, offset=offset, country=code)
            found = country_counts.page_and_count(connection, code, limit=limit, offset=offset)
            assert found == expected, (code, limit, offset)
    every = PreparedQuery(lambda slot: m.Partnership.objects.order_by("pk").values_list("pk"))
    for limit, offset in ((10, 0), (7, 14), (500, 0), (5, 200)):
        ids = [pk for (pk,) in every.rows(limit=limit, offset=offset, tuples=True)]
        expected = (ids, m.Partnership.objects.count()) if ids else ([], None)
        found = country_counts.all_page_and_count(connection, limit=limit, offset=offset)
        assert found == expected, (limit, offset)
    assert m.Partnership.objects.filter(Q(country_a="DE") | Q(country_b="DE")).exists()
