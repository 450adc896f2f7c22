"""Data for the schemathesis run (benchmarks/schemathesis_run.sh): beside the seed, a
few dozen generated records of every kind (cities, links with sources and events,
organisations, offices, officials, quotes), an `editors` user with an API token.
Prints the token. Run in the database the server under test uses:

    DATABASE_URL=... .venv/bin/python benchmarks/fuzz_data.py
"""

import os
import sys

sys.path.insert(0, os.getcwd())  # the checkout under test (benchmarks/schemathesis_run.sh)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from rest_framework.authtoken.models import Token

    from tests import factories as f

    f.ensure_staff_groups()
    editor = f.UserFactory(username="fuzz-editor", groups=["editors"], is_staff=True)
    cities = [f.CityFactory(name=f"Fuzz town {n}", slug=f"fuzz-town-{n}") for n in range(40)]
    sources = [f.SourceFactory(url=f"https://example.org/report/{n}") for n in range(5)]
    for n in range(30):
        link = f.PartnershipFactory(city_a=cities[n], city_b=cities[n + 5])
        link.sources.add(sources[n % len(sources)])
        f.EventFactory(partnership=link)
    organizations = [f.OrganizationFactory(city=cities[n]) for n in range(10)]
    for n, organization in enumerate(organizations):
        f.LiaisonOfficeFactory(organization=organization, host_city=cities[n + 20])
        f.OfficialFactory(city=cities[n])
    f.QuoteFactory()
    token, _created = Token.objects.get_or_create(user=editor)
    print(token.key)


if __name__ == "__main__":
    main()
