"""The client an analyst generates from the live schema works as generated: anonymous
reads through a plain `Client` (no token), with filters, a detail, a city's partners
and the facets (issue 12). openapi-python-client is run on /api/v1/schema/ into a
temporary folder, and the generated package imported from there."""

import importlib
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.factories import CityFactory, PartnershipFactory

GENERATOR = shutil.which("openapi-python-client") or str(
    Path(sys.executable).with_name("openapi-python-client")
)

pytestmark = pytest.mark.skipif(
    not Path(GENERATOR).exists(), reason="openapi-python-client is not installed"
)


@pytest.fixture
def generated(live_server, tmp_path):
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema/?format=json") as answer:
        (tmp_path / "schema.json").write_text(json.dumps(json.load(answer)))
    package = "twinning_client"
    done = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            "schema.json",
            "--meta",
            "none",
            "--output-path",
            package,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{package}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[module]


def test_anonymous_reads_through_the_generated_client(live_server, generated):
    berlin = CityFactory(slug="berlin", name="Berlin", country="DE", population=3_600_000)
    paris = CityFactory(slug="paris", name="Paris", country="FR")
    rome = CityFactory(slug="rome", name="Rome", country="IT")
    PartnershipFactory(city_a=berlin, city_b=paris, start_date=None)
    PartnershipFactory(city_a=paris, city_b=rome)

    client = generated("client").Client(base_url=live_server.url, raise_on_unexpected_status=True)

    cities_list = generated("api.cities.cities_list")
    page = cities_list.sync(client=client, country=["DE", "FR"], search="berln")
    assert [city.slug for city in page.results] == ["berlin"]
    sort = generated("models").CitiesListOrderingItem
    ordered = cities_list.sync(client=client, ordering=[sort("-partnership_count"), sort("name")])
    assert [city.slug for city in ordered.results] == ["paris", "berlin", "rome"]

    detail = generated("api.cities.cities_retrieve").sync("rome", client=client)
    assert (detail.name, detail.country) == ("Rome", "IT")

    partners = generated("api.cities.cities_partners_retrieve").sync("paris", client=client)
    assert sorted(row.city.slug for row in partners.results) == ["berlin", "rome"]
    assert {row.partnership.start for row in partners.results} == {None, "1998"}

    links = generated("api.partnerships.partnerships_list").sync(
        client=client, country=["DE"], partner_country=["FR"]
    )
    assert links.count == 1

    facets = generated("api.partnerships.partnerships_facets_retrieve").sync(client=client)
    assert facets.count == 2
    assert {pair.value: pair.count for pair in facets.country_pair} == {"DE-FR": 1, "FR-IT": 1}
