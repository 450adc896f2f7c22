"""A link's copy of its cities' countries (country_a / country_b), kept by the
database's triggers (partnerships/link_countries.py), on both databases and outside
a test transaction where the write is one a user makes."""

import random

import pytest
from django.db import connection, transaction
from django.db.models import F, Q

from cities.models import City
from partnerships import link_countries
from partnerships.apps import drop_link_countries, ensure_link_countries
from partnerships.merging import merge_cities
from partnerships.models import Partnership

from .factories import CityFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def copies():
    """{link id: (country_a, country_b)} as stored."""
    rows = Partnership.objects.values_list("pk", "country_a", "country_b")
    return {pk: (a, b) for pk, a, b in rows}


def truth():
    """{link id: (city_a.country, city_b.country)} through the cities."""
    return {
        pk: (a, b)
        for pk, a, b in Partnership.objects.values_list("pk", "city_a__country", "city_b__country")
    }


def pair(a, b, **kwargs):
    a, b = sorted((a, b), key=lambda c: c.pk)
    return PartnershipFactory(city_a=a, city_b=b, **kwargs)


def test_the_triggers_are_installed_by_migrate():
    assert link_countries.present(connection) == set(link_countries.TRIGGERS[connection.vendor])


def test_a_link_made_through_the_orm_takes_its_cities_countries():
    link = pair(CityFactory(country="DE"), CityFactory(country="FR"))
    link.refresh_from_db()
    assert {link.country_a, link.country_b} == {"DE", "FR"}
    assert copies() == truth()


def test_bulk_created_links_take_their_cities_countries():
    cities = [CityFactory(country=code) for code in ("DE", "FR", "CN", "IL")]
    Partnership.objects.bulk_create(
        Partnership(city_a=a, city_b=b, kind="twin", status="active")
        for a, b in ((cities[0], cities[1]), (cities[2], cities[3]), (cities[0], cities[3]))
    )
    assert copies() == truth()
    assert len(copies()) == 3


def test_a_city_moved_to_another_country_moves_its_links():
    berlin, paris, rome = (CityFactory(country=c) for c in ("DE", "FR", "IT"))
    pair(berlin, paris)
    pair(rome, berlin)
    berlin.country = "AT"
    berlin.save()
    assert copies() == truth()
    assert Partnership.objects.in_country("AT").count() == 2
    assert not Partnership.objects.in_country("DE").exists()


def test_a_raw_update_of_the_city_country_is_passed_on():
    a, b = CityFactory(country="DE"), CityFactory(country="FR")
    pair(a, b)
    City.objects.filter(pk=a.pk).update(country="PL")
    assert copies() == truth()


def test_a_value_written_by_hand_is_overwritten():
    link = pair(CityFactory(country="DE"), CityFactory(country="FR"))
    Partnership.objects.filter(pk=link.pk).update(country_a="ZZ", country_b="")
    assert copies() == truth()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_partnership SET country_a = 'XX' WHERE id = %s", [link.pk]
        )
    assert copies() == truth()


def test_an_orm_save_of_a_stale_instance_keeps_the_copy_true():
    link = pair(CityFactory(country="DE"), CityFactory(country="FR"))
    stale = Partnership.objects.get(pk=link.pk)
    stale.country_a = stale.country_b = ""  # as an instance made before the copy was read
    stale.description = "edited"
    stale.save()
    assert copies() == truth()


def test_a_link_moved_to_another_city_takes_that_citys_country():
    de, fr, cn = CityFactory(country="DE"), CityFactory(country="FR"), CityFactory(country="CN")
    link = pair(de, fr)
    kept = fr  # de leaves the link, cn takes its place
    a, b = sorted((kept, cn), key=lambda c: c.pk)
    Partnership.objects.filter(pk=link.pk).update(city_a=a, city_b=b)
    assert copies() == truth()
    assert Partnership.objects.in_country("CN").count() == 1


def test_merging_cities_keeps_the_copy_true():
    keep = CityFactory(country="DE", slug="gorlitz")
    dup = CityFactory(country="PL", slug="gorlitz-pl", wikidata_id="Q4077")
    other = CityFactory(country="FR")
    pair(dup, other)
    merge_cities(keep=keep, merge=dup, user=UserFactory())
    assert copies() == truth()
    assert Partnership.objects.in_country("DE").count() == 1
    assert not Partnership.objects.in_country("PL").exists()


def test_a_link_written_before_its_city_in_one_transaction_gets_it_at_commit():
    """The foreign keys are checked at commit, so an import may write a link before the
    city it points at; the city's insert passes its country on."""
    other = CityFactory(country="FR")
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        city = City(name="Later", slug="later", country="JP")
        city.pk = (City.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 100
        link = Partnership.objects.create(
            city_a=other, city_b_id=city.pk, kind="twin", status="active"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT country_b FROM partnerships_partnership WHERE id = %s", [link.pk]
            )
            assert cursor.fetchone() == ("",)
        city.save(force_insert=True)
    assert copies() == truth()
    assert Partnership.objects.get(pk=link.pk).country_b == "JP"


def test_ensure_recreates_missing_triggers_and_repairs_the_copy():
    link = pair(CityFactory(country="DE"), CityFactory(country="FR"))
    try:
        link_countries.uninstall(connection)
        assert link_countries.present(connection) == set()
        City.objects.filter(pk=link.city_a_id).update(country="NL")
        assert copies() != truth()  # nothing kept it while the triggers were gone

        assert link_countries.ensure(connection) is True
        assert copies() == truth()
        assert link_countries.ensure(connection) is False  # all there: nothing to do
    finally:
        link_countries.ensure(connection)
    assert link_countries.present(connection) == set(link_countries.TRIGGERS[connection.vendor])


def test_the_country_rules_answer_as_the_rule_through_the_cities():
    rng = random.Random(7)
    codes = ["DE", "FR", "CN", "IL", "US", "PL"]
    cities = [CityFactory(country=rng.choice(codes)) for _ in range(30)]
    seen = set()
    for _ in range(80):
        a, b = rng.sample(cities, 2)
        a, b = sorted((a, b), key=lambda c: c.pk)
        if (a.pk, b.pk) not in seen:
            seen.add((a.pk, b.pk))
            PartnershipFactory(city_a=a, city_b=b)

    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    links = Partnership.objects
    for code in codes:
        joined = links.filter(Q(city_a__country=code) | Q(city_b__country=code))
        assert ids(links.in_country(code)) == ids(joined)
    assert ids(links.in_country(["DE", "FR"])) == ids(
        links.filter(Q(city_a__country__in=["DE", "FR"]) | Q(city_b__country__in=["DE", "FR"]))
    )
    assert ids(links.between_countries(["DE"], ["FR", "CN"])) == ids(
        links.filter(
            Q(city_a__country="DE", city_b__country__in=["FR", "CN"])
            | Q(city_b__country="DE", city_a__country__in=["FR", "CN"])
        )
    )
    same = Q(city_a__country=F("city_b__country"))
    assert ids(links.domestic()) == ids(links.filter(same))
    assert ids(links.domestic(within=False)) == ids(links.exclude(same))


@pytest.mark.parametrize("model", [City, Partnership])
def test_a_table_rebuild_between_migrate_s_signals_keeps_the_copy_true(model):
    """What migrate does around a schema change: pre_migrate drops the triggers, the
    change runs (here a SQLite-style rebuild of the table, the change that fails while
    a trigger names the table; on PostgreSQL an ALTER of the country column's type,
    refused while a trigger names it), post_migrate puts them back and repairs what
    was written meanwhile."""
    link = pair(CityFactory(country="DE"), CityFactory(country="FR"))
    drop_link_countries(sender=None, using="default")
    assert link_countries.present(connection) == set()
    with connection.schema_editor() as editor:
        if connection.vendor == "sqlite":
            editor._remake_table(model)
        elif model is City:
            editor.execute("ALTER TABLE cities_city ALTER COLUMN country TYPE varchar(2)")
        else:
            editor.execute(
                "ALTER TABLE partnerships_partnership ALTER COLUMN country_a TYPE varchar(2)"
            )
    City.objects.filter(pk=link.city_a_id).update(country="NL")  # while they are away
    ensure_link_countries(sender=None, using="default")

    assert link_countries.present(connection) == set(link_countries.TRIGGERS[connection.vendor])
    assert copies() == truth()
    pair(CityFactory(country="JP"), CityFactory(country="KR"))
    City.objects.filter(pk=link.city_b_id).update(country="BE")
    assert copies() == truth()
