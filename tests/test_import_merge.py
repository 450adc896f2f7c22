"""Importing into a database that already holds records: merge, repeat, dry run."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cities.models import City
from partnerships.models import Partnership, Source

DATA = Path(__file__).parent / "data" / "twin-cities"

pytestmark = pytest.mark.django_db


def run(tmp_path, *args):
    out = io.StringIO()
    report = tmp_path / "report.txt"
    call_command(
        "import_twin_cities", "--data-dir", str(DATA), "--report", str(report), *args, stdout=out
    )
    return out.getvalue(), report.read_text(encoding="utf-8")


def link(a_qid, b_qid):
    a, b = City.objects.get(wikidata_id=a_qid), City.objects.get(wikidata_id=b_qid)
    return Partnership.objects.involving(a).get(city_a__in=[a, b], city_b__in=[a, b])


def counts():
    return (
        City.objects.count(),
        Partnership.objects.count(),
        Source.objects.count(),
        City.history.count(),
        Partnership.history.count(),
    )


def test_the_seed_city_is_updated_not_duplicated(seed, tmp_path):
    City.objects.filter(wikidata_id="Q956").update(name="Peking", longitude=None)

    output, report = run(tmp_path)

    beijing = City.objects.get(wikidata_id="Q956")
    assert City.objects.filter(name__in=["Beijing", "Peking"]).count() == 1
    assert beijing.name == "Beijing"
    assert beijing.longitude == Decimal("116.407526")
    assert (beijing.slug, beijing.native_name) == ("beijing", "北京")  # staff fields kept
    assert "cities: 47 created, 1 updated, 1 unchanged" in output
    assert "Q956 Beijing (cities.csv:20): name Peking -> Beijing; longitude None -> 116.407526" in (
        report
    )


def test_the_seed_link_gains_the_data_set_sources_and_keeps_its_facts(seed, tmp_path):
    before = Partnership.objects.get(pk=1)

    output, _ = run(tmp_path)

    seed_link = Partnership.objects.get(pk=1)
    beijing, tel_aviv = City.objects.get(slug="beijing"), City.objects.get(slug="tel-aviv")
    assert Partnership.objects.involving(beijing).filter(city_b=tel_aviv).count() == 1
    assert sorted(seed_link.sources.values_list("publisher", flat=True)) == [
        "Globes",
        "Wikidata (CC0), extracted by L3viathan",
        "Wikidata (CC0), via bothness/twin-cities and TidyTuesday",
    ]
    assert (seed_link.start_date, seed_link.description) == (before.start_date, before.description)
    assert list(seed_link.areas.all()) == list(before.areas.all())
    assert "links: 43 created, 1 updated, 0 unchanged" in output


def test_a_second_run_changes_nothing_and_says_so(seed, tmp_path):
    run(tmp_path)
    after_first = counts()
    stamps = list(City.objects.order_by("pk").values_list("updated_at", flat=True))

    output, _ = run(tmp_path)

    assert counts() == after_first
    assert list(City.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert "cities: 0 created, 0 updated, 49 unchanged, 0 rejected" in output
    assert "links: 0 created, 0 updated, 44 unchanged, 0 rejected, 3 one-sided" in output
    assert "nothing changed: the database already held this data" in output


def test_a_wrong_one_sided_flag_is_set_right_where_the_statements_tell(tmp_path):
    run(tmp_path)
    beijing = City.objects.get(wikidata_id="Q956")
    Partnership.objects.involving(beijing).update(one_sided=True)

    output, report = run(tmp_path)

    # Both Beijing and Tel Aviv state their link in Wikidata: the flag is put right.
    assert link("Q956", "Q33935").one_sided is False
    assert "one_sided True -> False" in report
    # Only links.tsv (no direction) has Beijing–Paris: the data cannot tell, the flag stays.
    assert link("Q956", "Q90").one_sided is True
    assert ", 0 rejected, 3 one-sided" in output


def test_a_dry_run_reports_what_would_change_and_writes_nothing(seed, tmp_path):
    before = counts()

    output, report = run(tmp_path, "--dry-run")

    assert counts() == before
    assert "cities: 47 would be created, 0 would be updated, 2 unchanged" in output
    assert "links: 43 would be created, 1 would be updated" in output
    assert "dry run: nothing was written" in output
    assert "(dry run)" in report


def test_a_dry_run_after_an_import_says_there_is_nothing_to_change(tmp_path):
    run(tmp_path)

    output, _ = run(tmp_path, "--dry-run")

    assert "nothing to change: the database already holds this data" in output
