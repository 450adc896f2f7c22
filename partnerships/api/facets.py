"""Counts of a filtered set of links, for /api/v1/partnerships/facets/.

Four grouped queries, whatever the number of links: (kind, status), the country of
each side (with the links within one country), and decade of start. Countries are folded in
Python from those few grouped rows.
"""

from collections import Counter

from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django_countries import countries

from partnerships.choices import PartnershipKind, PartnershipStatus


def _choice_counts(counts: Counter, choices) -> list[dict]:
    # Every choice is listed, zeros included, so the shape does not depend on the data.
    return [
        {"value": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in choices
    ]


def partnership_facets(links: QuerySet) -> dict:
    links = links.order_by()

    kinds: Counter = Counter()
    statuses: Counter = Counter()
    for row in links.values("kind", "status").annotate(n=Count("pk")):
        kinds[row["kind"]] += row["n"]
        statuses[row["status"]] += row["n"]

    # A link counts once for each country it involves: once for a link within one
    # country. Grouping each side on its own is several times faster than grouping
    # by the pair (country A, country B), which sorts every joined row; the links
    # within one country are counted in side A's grouping, as a filtered count
    # rather than a join on equal countries (PostgreSQL planned that join as a
    # nested loop over every city of the country, 185 ms for one country's links).
    by_country: Counter = Counter()
    within_one = Count("pk", filter=Q(city_a__country=F("city_b__country")))
    for row in links.values("city_a__country").annotate(n=Count("pk"), within=within_one):
        by_country[row["city_a__country"]] += row["n"] - row["within"]
    for row in links.values("city_b__country").annotate(n=Count("pk")):
        by_country[row["city_b__country"]] += row["n"]

    # The decade from the date's ISO text ("1998-01-01"[:3] == "199"): a plain string
    # function, where extracting the year is a Python function call per row on SQLite.
    by_decade: Counter = Counter()
    decades = links.annotate(decade=Substr(Cast("start_date", CharField()), 1, 3))
    for row in decades.values("decade").annotate(n=Count("pk")):
        decade = row["decade"]
        by_decade[None if decade is None else int(decade) * 10] += row["n"]

    return {
        "count": sum(kinds.values()),
        "kind": _choice_counts(kinds, PartnershipKind.choices),
        "status": _choice_counts(statuses, PartnershipStatus.choices),
        "country": [
            {"value": code, "label": countries.name(code) or code, "count": n}
            for code, n in sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
        ],
        "start_decade": [
            {"value": decade, "label": "unknown" if decade is None else f"{decade}s", "count": n}
            for decade, n in sorted(
                by_decade.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
        ],
    }
