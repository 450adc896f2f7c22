"""Counts of a filtered set of links, for /api/v1/partnerships/facets/.

Four grouped queries, whatever the number of links: (kind, status, one_sided), the
(country A, country B) pair, the decade of start (which also gives start_known), and
the data sets stating them. Countries and unordered pairs are folded in Python from
the pair rows.
"""

from collections import Counter

from django.db.models import Count, QuerySet
from django_countries import countries

from partnerships.choices import PartnershipKind, PartnershipStatus
from partnerships.models import PartnershipSource
from partnerships.selectors import country_pair_counts, start_decade_counts


def _choice_counts(counts: Counter, choices) -> list[dict]:
    # Every choice is listed, zeros included, so the shape does not depend on the data.
    return [
        {"value": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in choices
    ]


def _country_names() -> dict[str, str]:
    # One dict per call: django-countries' name() costs ~50 µs a call, and the world
    # data has thousands of country pairs to label.
    return {code: str(name) for code, name in countries}


def partnership_facets(links: QuerySet) -> dict:
    links = links.order_by()

    kinds: Counter = Counter()
    statuses: Counter = Counter()
    one_sided: Counter = Counter()
    for row in links.values("kind", "status", "one_sided").annotate(n=Count("pk")):
        kinds[row["kind"]] += row["n"]
        statuses[row["status"]] += row["n"]
        one_sided[row["one_sided"]] += row["n"]

    # The unordered country pairs ((DE, FR) and (FR, DE) are one pair), and from them
    # the links involving each country: a link within one country counts once.
    pairs = country_pair_counts(links)
    by_country: Counter = Counter()
    for (a, b), n in pairs.items():
        by_country[a] += n
        if b != a:
            by_country[b] += n

    by_decade = start_decade_counts(links)

    # Links each data set states (a source with a dataset key), one grouped query.
    stated = (
        PartnershipSource.objects.filter(partnership__in=links.values("pk"))
        .exclude(source__dataset_key="")
        .values("source__dataset_key", "source__title")
        .annotate(n=Count("partnership_id", distinct=True))
        .order_by("-n", "source__dataset_key")
    )

    unknown_start = by_decade.get(None, 0)
    names = _country_names()
    total = sum(kinds.values())
    return {
        "count": total,
        "kind": _choice_counts(kinds, PartnershipKind.choices),
        "status": _choice_counts(statuses, PartnershipStatus.choices),
        "country": [
            {"value": code, "label": names.get(code) or code, "count": n}
            for code, n in sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
        ],
        "start_decade": [
            {"value": decade, "label": "unknown" if decade is None else f"{decade}s", "count": n}
            for decade, n in sorted(
                by_decade.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
        ],
        "country_pair": [
            {
                "value": f"{a}-{b}",
                "label": f"{names.get(a) or a} – {names.get(b) or b}",
                "count": n,
            }
            for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
        ],
        "one_sided": [
            {"value": "true", "label": "stated by one city only", "count": one_sided[True]},
            {"value": "false", "label": "stated by both", "count": one_sided[False]},
        ],
        "start_known": [
            {"value": "true", "label": "start known", "count": total - unknown_start},
            {"value": "false", "label": "no known start", "count": unknown_start},
        ],
        "source": [
            {"value": row["source__dataset_key"], "label": row["source__title"], "count": row["n"]}
            for row in stated
        ],
    }


def facet_rows(facets: dict) -> list[list]:
    """The facets as CSV rows: facet, value, label, count (the total first)."""
    rows = [["facet", "value", "label", "count"], ["count", "", "links matching", facets["count"]]]
    for name, entries in facets.items():
        if isinstance(entries, list):
            rows += [[name, e["value"], e["label"], e["count"]] for e in entries]
    return rows
