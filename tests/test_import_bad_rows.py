"""Bad rows are skipped and reported by line; --strict refuses all; a failure undoes all."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import partnerships.importing as importing
from cities.models import City
from partnerships.models import Partnership, PartnershipSource, Source

DATA = Path(__file__).parent / "data" / "twin-cities"

pytestmark = pytest.mark.django_db

# Appended after the 50 lines of the slice's cities.csv: lines 51 to 56.
BAD_CITIES = [
    "X12,Nowhere,10.0,10.0,Nowhere,FR,Europe",  # 51: not a Wikidata ID
    "Q900000001,,10.0,10.0,France,FR,Europe",  # 52: no name
    "Q900000002,Overthepole,10.0,95.0,France,FR,Europe",  # 53: latitude out of range
    "Q900000003,Atlantis,10.0,10.0,Atlantis,ZZ,Europe",  # 54: not an ISO country
    "Q900000004,Offworld,181.5,10.0,France,FR,Europe",  # 55: longitude out of range
    "Q956,Beijing again,116.4,39.9,China,CN,Asia",  # 56: repeats Beijing's line 20
]
# Appended after the 43 lines of links.tsv: lines 44 to 46.
BAD_LINKS = [
    "Q956\tQ999999999",  # 44: no such city
    "Q956\tQ900000002",  # 45: a city rejected above
    "Q956\tQ956",  # 46: a city linked to itself
]
# Appended after the 67 lines of relations.tsv: line 68.
BAD_RELATIONS = ["Q956\tQ123456789"]  # 68: a QID names.tsv does not know


@pytest.fixture
def bad_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for relative, rows in [
        ("wikidata-cities/cities.csv", BAD_CITIES),
        ("wikidata-cities/links.tsv", BAD_LINKS),
        ("l3viathan-wikidata/relations.tsv", BAD_RELATIONS),
    ]:
        with open(data / relative, "a", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
    return data


def run(tmp_path, data, *args):
    out = io.StringIO()
    report = tmp_path / "report.txt"
    try:
        call_command(
            "import_twin_cities",
            "--data-dir",
            str(data),
            "--report",
            str(report),
            *args,
            stdout=out,
        )
    finally:
        text = report.read_text(encoding="utf-8") if report.exists() else ""
    return out.getvalue(), text


def snapshot():
    return (
        City.objects.count(),
        Partnership.objects.count(),
        Source.objects.count(),
        PartnershipSource.objects.count(),
        City.history.count(),
        Partnership.history.count(),
    )


def test_bad_rows_are_skipped_and_the_rest_imports(tmp_path, bad_data):
    output, _ = run(tmp_path, bad_data)

    assert City.objects.count() == 49
    assert Partnership.objects.count() == 44
    assert City.objects.get(wikidata_id="Q956").name == "Beijing"
    assert "cities: 49 created, 0 updated, 0 unchanged, 6 rejected" in output
    assert "links: 44 created, 0 updated, 0 unchanged, 4 rejected, 3 one-sided" in output


def test_the_report_names_each_bad_row_by_file_and_line(tmp_path, bad_data):
    _, report = run(tmp_path, bad_data)

    expected = [
        "cities.csv:51: unknown ID 'X12': not a Wikidata QID | X12,Nowhere",
        "cities.csv:52: Q900000001 has no name",
        "cities.csv:53: Q900000002 latitude 95.0 is out of range [-90, 90]",
        "cities.csv:54: Q900000003 country code 'ZZ' is not ISO 3166-1",
        "cities.csv:55: Q900000004 longitude 181.5 is out of range [-180, 180]",
        "cities.csv:56: Q956 repeats line 20",
        "links.tsv:44: unknown ID Q999999999: not in cities.csv nor the database",
        "links.tsv:45: city Q900000002 was rejected (cities.csv line 53)",
        "links.tsv:46: links Q956 to itself",
        "relations.tsv:68: unknown ID Q123456789: not in names.tsv",
    ]
    for line in expected:
        assert line in report
    assert "Rejected rows (10)" in report


def test_strict_refuses_the_whole_import_at_the_first_bad_row(seed, tmp_path, bad_data):
    before = snapshot()

    with pytest.raises(CommandError, match=r"--strict: refused at cities.csv:51: unknown ID"):
        run(tmp_path, bad_data, "--strict")

    assert snapshot() == before
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "refused (--strict)" in report
    assert "cities.csv:51: unknown ID 'X12'" in report


def test_strict_imports_clean_files(tmp_path):
    output, _ = run(tmp_path, DATA, "--strict")

    assert "cities: 49 created" in output  # places outside cities.csv are no bad rows


def test_an_import_interrupted_midway_leaves_the_database_as_it_was(seed, tmp_path, monkeypatch):
    before = snapshot()
    beijing_before = City.objects.values().get(wikidata_id="Q956")
    reached = []

    def cities_then_crash(plan, progress):
        # Runs after the new cities were written in the same transaction.
        reached.append(City.objects.count())
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "write_links", cities_then_crash)

    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, DATA)

    assert reached == [49]  # the cities were written, then undone
    assert snapshot() == before
    assert City.objects.values().get(wikidata_id="Q956") == beijing_before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cities.csv does not exist"):
        run(tmp_path, tmp_path / "nowhere")
