"""Questions about the network of twin-city links: shortest chains and overall shape.

The graph is every link that is not known to be over or not yet made: status
"active", or "unknown" (an imported link whose source does not say; the data sets
record links that exist). An ended, suspended or merely proposed link is no chain
between two cities today.

Freshness: the graph and its statistics are computed once per process and
reused while both of these stay the same:
- the data version (`common.data_version`), replaced by any edit of the data
  from any process, and by the import; with Redis as the cache every worker
  sees the new token at once;
- a fingerprint read from the database (row count, highest id and latest
  update time of both tables), which catches edits made by another process
  even when the cache is per-process local memory, and bulk writes that did
  not bump the version.
So an edit in the admin or the API shows in the next answer, in every worker.
"""

import threading
from collections import Counter, deque
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django_countries import countries

from cities.models import City
from common.data_version import data_version

from .models import Partnership, PartnershipStatus

TOP = 10


def current_key() -> tuple:
    """What the cached graph is valid for: the data version + a database fingerprint
    (2 queries)."""
    links = Partnership.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated_at"))
    places = City.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated_at"))
    return (data_version(), tuple(links.values()), tuple(places.values()))


@dataclass
class Graph:
    # city id → {neighbour id: (link id, one-sided)}
    adjacency: dict[int, dict[int, tuple[int, bool]]] = field(default_factory=dict)
    country_of: dict[int, str] = field(default_factory=dict)
    links: int = 0

    @classmethod
    def load(cls) -> "Graph":
        graph = cls()
        adjacency = graph.adjacency
        rows = (
            Partnership.objects.filter(
                status__in=[PartnershipStatus.ACTIVE, PartnershipStatus.UNKNOWN]
            )
            .order_by("pk")
            .values_list("pk", "city_a_id", "city_b_id", "one_sided")
        )
        for pk, a, b, one_sided in rows.iterator(chunk_size=5000):
            # Several kinds of link between one pair are one edge: keep the oldest.
            if b in adjacency.get(a, ()):
                continue
            adjacency.setdefault(a, {})[b] = (pk, one_sided)
            adjacency.setdefault(b, {})[a] = (pk, one_sided)
            graph.links += 1
        graph.country_of = dict(City.objects.values_list("pk", "country").iterator(5000))
        return graph

    def shortest_path(
        self, source: int, target: int, max_hops: int | None = None
    ) -> list[int] | None:
        """Breadth-first search; the city ids from source to target, or None (also when
        every chain is longer than `max_hops` links)."""
        if source == target:
            return [source]
        parent = {source: source}
        depth = {source: 0}
        queue = deque([source])
        while queue:
            here = queue.popleft()
            if max_hops is not None and depth[here] >= max_hops:
                continue
            for there in self.adjacency.get(here, ()):
                if there in parent:
                    continue
                parent[there] = here
                depth[there] = depth[here] + 1
                if there == target:
                    path = [target]
                    while path[-1] != source:
                        path.append(parent[path[-1]])
                    return path[::-1]
                queue.append(there)
        return None

    def components(self) -> list[set[int]]:
        """Connected groups of linked cities, largest first (cities with no link left out)."""
        seen: set[int] = set()
        groups = []
        for start in self.adjacency:
            if start in seen:
                continue
            group = {start}
            stack = [start]
            while stack:
                for there in self.adjacency[stack.pop()]:
                    if there not in group:
                        group.add(there)
                        stack.append(there)
            seen |= group
            groups.append(group)
        groups.sort(key=len, reverse=True)
        return groups


_lock = threading.Lock()
_memo: dict[str, tuple] = {}


def _memoised(name: str, key: tuple, compute):
    with _lock:
        hit = _memo.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
    value = compute()
    with _lock:
        _memo[name] = (key, value)
    return value


def current_graph(key: tuple | None = None) -> Graph:
    return _memoised("graph", key or current_key(), Graph.load)


def forget() -> None:
    """Drop this process's memo (tests use it to measure a cold start)."""
    with _lock:
        _memo.clear()


# ---------------------------------------------------------------- answers


def _city_rows(ids) -> dict[int, dict]:
    rows = City.objects.filter(pk__in=list(ids)).values("pk", "slug", "name", "region", "country")
    return {
        row["pk"]: {
            "id": row["pk"],
            "slug": row["slug"],
            "name": row["name"],
            "region": row["region"],  # tells namesakes apart on the pages
            "country": str(row["country"]),
        }
        for row in rows
    }


@dataclass
class PathAnswer:
    source: dict
    target: dict
    cities: list[dict]
    links: list[dict]
    max_hops: int | None = None

    @property
    def found(self) -> bool:
        return bool(self.cities)

    @property
    def hops(self) -> int | None:
        return len(self.links) if self.found else None

    @property
    def message(self) -> str:
        a, b = self.source["name"], self.target["name"]
        if not self.found and self.max_hops is not None:
            return f"No chain of at most {self.max_hops} links connects {a} and {b}."
        if not self.found:
            return f"No chain of links connects {a} and {b}: they are in different groups."
        if self.hops == 0:
            return f"{a} is where the chain starts and ends: no link needed."
        if self.hops == 1:
            return f"{a} and {b} are linked directly."
        return f"{a} reaches {b} in {self.hops} links."

    def as_dict(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "found": self.found,
            "hops": self.hops,
            "message": self.message,
            "cities": self.cities,
            "links": self.links,
        }


def find_path(*, source: City, target: City, max_hops: int | None = None) -> PathAnswer:
    """The shortest chain of active links from one city to another (of at most
    `max_hops` links when given)."""
    graph = current_graph()
    ids = graph.shortest_path(source.pk, target.pk, max_hops)
    ends = {
        "source": {
            "id": source.pk,
            "slug": source.slug,
            "name": source.name,
            "country": str(source.country),
        },
        "target": {
            "id": target.pk,
            "slug": target.slug,
            "name": target.name,
            "country": str(target.country),
        },
    }
    if ids is None:
        return PathAnswer(cities=[], links=[], max_hops=max_hops, **ends)
    rows = _city_rows(ids)
    links = []
    for here, there in zip(ids, ids[1:], strict=False):
        pk, one_sided = graph.adjacency[here][there]
        links.append(
            {
                "id": pk,
                "from": rows[here]["slug"],
                "to": rows[there]["slug"],
                "one_sided": one_sided,
            }
        )
    return PathAnswer(cities=[rows[i] for i in ids], links=links, **ends)


def _country(code: str) -> dict:
    return {"code": code, "name": countries.name(code) or code}


def _top(ranked: list, top: int, ties: bool, count) -> list:
    """The first `top` of a ranked list; with `ties`, also those tied with the last."""
    if not ties or len(ranked) <= top or top == 0:
        return ranked[:top]
    last = count(ranked[top - 1])
    end = top
    while end < len(ranked) and count(ranked[end]) == last:
        end += 1
    return ranked[:end]


def compute_stats(
    graph: Graph, *, top: int = TOP, ties: bool = False, all_groups: bool = False
) -> dict:
    degree = {city: len(neighbours) for city, neighbours in graph.adjacency.items()}
    ranked = sorted(degree.items(), key=lambda item: (-item[1], item[0]))
    busiest = _top(ranked, top, ties, lambda item: item[1])
    names = _city_rows(city for city, _ in busiest)
    most_connected = [{**names[city], "links": n} for city, n in busiest]

    pairs: Counter = Counter()
    domestic = 0
    for a, neighbours in graph.adjacency.items():
        for b in neighbours:
            if a < b:
                ca, cb = sorted((graph.country_of[a], graph.country_of[b]))
                if ca == cb:
                    domestic += 1
                else:
                    pairs[(ca, cb)] += 1
    ranked_pairs = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    country_pairs = [
        {"countries": [_country(ca), _country(cb)], "links": n}
        for (ca, cb), n in _top(ranked_pairs, top, ties, lambda item: item[1])
    ]

    groups = graph.components()
    # Country A reaches country B when a chain of links joins some city of A to some
    # city of B, i.e. both have a city in one connected group.
    group_countries = [{graph.country_of[c] for c in group} for group in groups]
    reach: dict[str, set[str]] = {}
    for codes in group_countries:
        for code in codes:
            reach.setdefault(code, set()).update(codes)
    n_countries = len(reach)
    reachable = sorted(
        ((code, len(others) - 1) for code, others in reach.items()),
        key=lambda item: (-item[1], item[0]),
    )
    reachable_pairs = sum(n for _, n in reachable) // 2
    largest = groups[0] if groups else set()
    return {
        "cities": len(graph.country_of),
        "linked_cities": len(graph.adjacency),
        "links": graph.links,
        "domestic_links": domestic,
        "most_connected": most_connected,
        "country_pairs": country_pairs,
        "groups": {
            "count": len(groups),
            "largest_size": len(largest),
            "largest_countries": len(group_countries[0]) if groups else 0,
            "sizes": [len(group) for group in (groups if all_groups else groups[:top])],
            "unlinked_cities": len(graph.country_of) - len(graph.adjacency),
        },
        "countries": {
            "count": n_countries,
            "reachable_pairs": reachable_pairs,
            "possible_pairs": n_countries * (n_countries - 1) // 2,
            "reachability": [{**_country(code), "reachable_countries": n} for code, n in reachable],
        },
    }


def network_stats(*, top: int = TOP, ties: bool = False, all_groups: bool = False) -> dict:
    key = current_key()
    name = (
        "stats"
        if (top, ties, all_groups) == (TOP, False, False)
        else f"stats:{top}:{ties}:{all_groups}"
    )
    return _memoised(
        name,
        key,
        lambda: compute_stats(current_graph(key), top=top, ties=ties, all_groups=all_groups),
    )
