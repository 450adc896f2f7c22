"""The import on a small slice of the real files (tests/data/twin-cities/, see make_slice.py).

The slice: 49 cities, 42 pairs in links.tsv, 2 more pairs that only the directed
Wikidata statements give (Tel Aviv–Limassol, Limassol–Nanjing), 3 pairs stated by
one side only, and 4 statements about places that are not in cities.csv.
"""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cities.models import City
from partnerships.management.commands.import_twin_cities import ProgressBar
from partnerships.models import Partnership, PartnershipSource, Source

DATA = Path(__file__).parent / "data" / "twin-cities"

pytestmark = pytest.mark.django_db


def run(tmp_path, *args, data=DATA):
    out = io.StringIO()
    report = tmp_path / "report.txt"
    call_command(
        "import_twin_cities", "--data-dir", str(data), "--report", str(report), *args, stdout=out
    )
    return out.getvalue(), report.read_text(encoding="utf-8")


def link(a_qid, b_qid):
    a, b = City.objects.get(wikidata_id=a_qid), City.objects.get(wikidata_id=b_qid)
    return Partnership.objects.involving(a).get(city_a__in=[a, b], city_b__in=[a, b])


def test_it_imports_every_city_and_link_of_the_slice(tmp_path):
    output, _ = run(tmp_path)

    assert City.objects.count() == 49
    assert Partnership.objects.count() == 44
    assert "cities: 49 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert "links: 44 created, 0 updated, 0 unchanged, 0 rejected, 3 one-sided" in output
    assert "skipped: 4 statement(s) in relations.tsv naming 4 place(s)" in output


def test_it_stores_links_once_in_canonical_order_labelled_as_the_data_says(tmp_path):
    run(tmp_path)

    # Wikidata's "twinned administrative body" says neither twin/sister/partner nor active.
    assert all(p.city_a_id < p.city_b_id for p in Partnership.objects.all())
    assert set(Partnership.objects.values_list("kind", "status").distinct()) == {
        ("unstated", "unknown")
    }


def test_it_flags_links_stated_by_one_side_only(tmp_path):
    run(tmp_path)

    montevideo_tandil = link("Q1335", "Q1000336")  # only Montevideo states it
    beijing_tel_aviv = link("Q956", "Q33935")  # stated by both
    assert montevideo_tandil.one_sided is True
    assert beijing_tel_aviv.one_sided is False
    assert set(
        Partnership.objects.filter(one_sided=True).values_list(
            "city_a__wikidata_id", "city_b__wikidata_id"
        )
    ) == {
        tuple(sorted(pair, key=lambda q: City.objects.get(wikidata_id=q).pk))
        for pair in [("Q1335", "Q1000336"), ("Q25410", "Q1005350"), ("Q1000336", "Q1004149")]
    }


def test_a_link_only_wikidata_statements_give_is_imported_and_cites_that_data_set(tmp_path):
    run(tmp_path)

    tel_aviv_limassol = link("Q33935", "Q185632")
    assert [s.publisher for s in tel_aviv_limassol.sources.all()] == [
        "Wikidata (CC0), extracted by L3viathan"
    ]


def test_every_link_cites_its_data_sets_one_source_row_each(tmp_path):
    run(tmp_path)

    assert Source.objects.count() == 2
    assert not Partnership.objects.filter(sources__isnull=True).exists()
    by_pairs = PartnershipSource.objects.values_list("source__publisher", flat=True)
    assert by_pairs.filter(source__title__startswith="Twinned cities").count() == 42
    assert by_pairs.filter(source__title__startswith="Wikidata P190").count() == 33


def test_repeated_names_get_unique_readable_slugs(tmp_path):
    run(tmp_path)

    def slugs(name):
        return sorted(City.objects.filter(name=name).values_list("slug", flat=True))

    assert slugs("Springfield") == ["springfield", "springfield-us", "springfield-us-2"]
    assert slugs("Portsmouth") == ["portsmouth", "portsmouth-gb", "portsmouth-us"] or slugs(
        "Portsmouth"
    ) == ["portsmouth", "portsmouth-us", "portsmouth-us-2"]
    # Where a name is shared, the best-known place (most links) keeps the plain slug.
    assert City.objects.get(slug="london").wikidata_id == "Q84"  # London, England
    assert City.objects.get(slug="london-ca").wikidata_id == "Q92561"  # London, Ontario
    assert City.objects.get(wikidata_id="Q506599").slug == "munster-lower-saxony"


def test_it_maps_the_codes_that_are_not_iso_as_the_report_says(tmp_path):
    _, report = run(tmp_path)

    def country(qid):
        city = City.objects.get(wikidata_id=qid)
        return city.country.code, city.region

    assert country("Q713310") == ("TW", "")  # Hualien City, CN-TW
    assert country("Q25270") == ("XK", "")  # Pristina, Kosovo
    assert country("Q193190") == ("CY", "Northern Cyprus")  # Famagusta, XC
    assert country("Q168652") == ("SO", "Somaliland")  # Hargeisa, XS
    assert country("Q614754") == ("EH", "")  # Bir Lehlou, Western Sahara
    assert country("Q3935") == ("NA", "")  # Windhoek: NA is Namibia, not missing
    assert City.objects.get(wikidata_id="Q25270").country.name == "Kosovo"
    for code in (
        "CN-TW (1 cities) -> TW",
        "XK (1 cities) -> XK",
        "XC (1 cities) -> CY",
        "XS (1 cities) -> SO",
        "EH (1 cities) -> EH",
        "NA (1 cities) -> NA",
    ):
        assert code in report


def test_it_keeps_names_and_coordinates_as_the_file_gives_them(tmp_path):
    run(tmp_path)

    munster = City.objects.get(wikidata_id="Q506599")
    assert munster.name == "Munster, Lower Saxony"  # the one quoted name
    assert munster.latitude == Decimal("52.988611")
    assert munster.longitude == Decimal("10.091111")


def test_the_history_says_the_import_made_the_records(tmp_path):
    run(tmp_path)

    springfield = City.objects.get(slug="springfield")
    record = springfield.history.get()
    assert record.history_type == "+"
    assert "import_twin_cities" in record.history_change_reason
    assert link("Q956", "Q33935").history.count() == 1


def test_the_report_lists_one_sided_links_and_skipped_places(tmp_path):
    _, report = run(tmp_path)

    assert "Q1335 Montevideo states Q1000336 Tandil; not the reverse" in report
    assert "Q9005 Brüssel: 8" in report  # QID, label, line in relations.tsv


def test_it_prints_a_plain_summary_when_not_on_a_terminal(tmp_path):
    output, _ = run(tmp_path)

    assert "\r" not in output
    assert output.splitlines()[0].startswith("Twin-city import (")
    assert output.splitlines()[-1] == f"report: {tmp_path / 'report.txt'}"


def test_the_progress_bar_redraws_one_line():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar("reading cities.csv", 10, 20)
    bar("reading cities.csv", 20, 20)
    bar("writing new cities", 5, 5)
    bar.close()

    text = stream.getvalue()
    assert text.count("\r") == 3
    assert "[###############---------------] 10/20" in text
    assert text.endswith("5/5\n")
