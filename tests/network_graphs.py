r"""The small known graph the network path and stats tests share (countries in brackets):

Aix(FR) -- Bonn(DE) -- Celle(DE) -- Poznan(PL)
   \___________________/
Elba(IT) -- Fano(IT)       Gap(FR): no link       Aix -- Elba: ended
"""

from partnerships.models import PartnershipStatus
from tests.factories import CityFactory, PartnershipFactory

CITIES = [
    ("aix", "FR"),
    ("bonn", "DE"),
    ("celle", "DE"),
    ("poznan", "PL"),
    ("elba", "IT"),
    ("fano", "IT"),
    ("gap", "FR"),
]
ACTIVE_LINKS = [
    ("aix", "bonn"),
    ("bonn", "celle"),
    ("celle", "poznan"),
    ("aix", "celle"),
    ("elba", "fano"),
]


def build_known_graph():
    """The cities by slug, and the active links by (slug, slug)."""
    cities = {
        slug: CityFactory(slug=slug, name=slug.title(), country=country) for slug, country in CITIES
    }
    links = {
        (a, b): PartnershipFactory(city_a=cities[a], city_b=cities[b]) for a, b in ACTIVE_LINKS
    }
    PartnershipFactory(city_a=cities["aix"], city_b=cities["elba"], status=PartnershipStatus.ENDED)
    return cities, links
