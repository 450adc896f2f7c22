"""`manage.py load_seed`, which `make run` and the web container run on every start."""

from io import StringIO

from django.core.management import call_command

from cities.models import City
from partnerships.models import Partnership


def run(*args) -> str:
    out = StringIO()
    call_command("load_seed", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_seed_into_an_empty_database(db):
    run()
    assert set(City.objects.values_list("slug", flat=True)) == {"beijing", "tel-aviv"}
    assert Partnership.objects.count() == 1
    # Each seed record starts its history with the version the seed loaded.
    [first_version] = Partnership.objects.get().history.all()
    assert first_version.history_type == "+"
    assert City.history.filter(slug="beijing").count() == 1


def test_it_keeps_an_edit_made_after_the_first_start(db):
    run()
    City.objects.filter(slug="beijing").update(description="Capital of China.")

    output = run()

    assert "seed not loaded" in output
    assert Partnership.objects.get().history.count() == 1
    assert City.objects.get(slug="beijing").description == "Capital of China."


def test_force_loads_the_seed_over_existing_records(db):
    run()
    City.objects.filter(slug="beijing").update(description="Capital of China.")

    run("--force")

    assert City.objects.get(slug="beijing").description == ""
