"""Counts of a filtered set of links, for /api/v1/partnerships/facets/.

Three grouped queries, whatever the number of links: (kind, status), (country of
city A, country of city B) and year of start. Countries and decades are folded in
Python from those few grouped rows.
"""

from collections import Counter

from django.db.models import Count, QuerySet
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

    # A link counts once for each country it involves: once for a link within one country.
    by_country: Counter = Counter()
    for row in links.values("city_a__country", "city_b__country").annotate(n=Count("pk")):
        a, b = row["city_a__country"], row["city_b__country"]
        by_country[a] += row["n"]
        if b != a:
            by_country[b] += row["n"]

    by_decade: Counter = Counter()
    for row in links.values("start_date__year").annotate(n=Count("pk")):
        year = row["start_date__year"]
        by_decade[None if year is None else year // 10 * 10] += row["n"]

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
