"""An imported link's page tells what the data sets say and what is not known; a city
page names each partner with its region, once however many kinds link the pair."""

import pytest

from partnerships.models import PartnershipSource
from tests.factories import CityFactory, PartnershipFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    dresden = CityFactory(name="Dresden", slug="dresden", country="DE", wikidata_id="Q1731")
    springfield = CityFactory(
        name="Springfield",
        slug="springfield-il",
        country="US",
        region="Illinois",
        wikidata_id="Q28515",
    )
    link = PartnershipFactory(
        city_a=dresden,
        city_b=springfield,
        kind="unstated",
        status="unknown",
        start_date=None,
        one_sided=True,
    )
    source = SourceFactory(title="Wikidata twin-town statements, 2016")
    source.dataset_key = "wikidata-cities"
    source.save()
    PartnershipSource.objects.create(partnership=link, source=source)
    return link


def test_an_imported_link_says_which_data_set_states_it_and_what_is_not_known(client, imported):
    page = client.get(imported.get_absolute_url()).content.decode()

    says = page.split("What the data sets say")[1].split("</ul>")[0]
    assert "Stated by the data set “Wikidata twin-town statements, 2016”." in says
    assert 'href="https://www.wikidata.org/wiki/Q1731"' in says
    assert 'href="https://www.wikidata.org/wiki/Q28515"' in says
    assert "what kind of link it is" in says and "whether it is still active" in says
    assert "when it began" in says
    assert "only one of the two cities’ Wikidata items records this link" in page


def test_a_partner_is_named_with_its_region_and_listed_once(client, imported):
    PartnershipFactory(city_a=imported.city_a, city_b=imported.city_b, kind="friendship")
    page = client.get(imported.city_a.get_absolute_url()).content.decode()

    assert '<span class="muted">, Illinois</span>' in page
    assert page.count('data-label="Kind"') == 1
