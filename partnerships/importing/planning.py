"""Compare what the files say with what the database holds: the plan of changes.

Everything the database holds that the plan needs is read up front in a few
queries (cities, links, citations) into dicts, so planning costs no query per
row. The plan is the same for a dry run and a real one; only applying differs.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from cities.models import City

from ..models import Partnership, PartnershipKind, PartnershipSource, Source
from .datasets import DATASETS, L3VIATHAN_WIKIDATA, WIKIDATA_CITIES
from .reading import CityRow, Statements
from .slugs import SlugAllocator

# Fields the data set is the reference for; anything else on a city (slug, native
# name, description, population) belongs to staff and is never touched.
CITY_FIELDS = ("name", "country", "latitude", "longitude")


@dataclass
class CityUpdate:
    row: CityRow
    pk: int
    changes: dict[str, tuple[object, object]]


@dataclass
class LinkPlan:
    qids: tuple[str, str]
    where: str  # file:line of the first row that states the link
    sources: set[str] = field(default_factory=set)
    one_sided: bool | None = None  # None: the data cannot tell
    stated_by: str = ""
    existing_pk: int | None = None
    one_sided_change: tuple[bool, bool] | None = None
    missing_sources: set[str] = field(default_factory=set)


@dataclass
class Plan:
    new_cities: list[tuple[CityRow, str]] = field(default_factory=list)
    updated_cities: list[CityUpdate] = field(default_factory=list)
    unchanged_cities: int = 0
    new_links: list[LinkPlan] = field(default_factory=list)
    updated_links: list[LinkPlan] = field(default_factory=list)
    unchanged_links: int = 0
    one_sided_links: list[LinkPlan] = field(default_factory=list)
    city_pks: dict[str, int] = field(default_factory=dict)  # QID → pk of cities already stored
    source_pks: dict[str, int] = field(default_factory=dict)  # dataset key → Source pk, if stored
    possible_duplicates: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_cities
            or self.updated_cities
            or self.new_links
            or self.updated_links
            or len(self.source_pks) < len(DATASETS)
        )


@dataclass
class StoredCities:
    by_qid: dict[str, tuple] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)
    # (lower-case name, country) of cities with no Wikidata ID → pk, to warn of duplicates
    unidentified: dict[tuple[str, str], int] = field(default_factory=dict)


def load_stored_cities() -> StoredCities:
    stored = StoredCities()
    rows = City.objects.values_list(
        "pk", "wikidata_id", "name", "slug", "country", "latitude", "longitude", "region"
    )
    for row in rows.iterator(chunk_size=5000):
        pk, qid, name, slug, country, *_ = row
        stored.slugs.add(slug)
        if qid:
            stored.by_qid[qid] = row
        else:
            stored.unidentified[(name.lower(), str(country))] = pk
    return stored


def plan_cities(plan: Plan, rows: dict[str, CityRow], stored: StoredCities) -> None:
    slugs = SlugAllocator(stored.slugs)
    for qid, row in stored.by_qid.items():
        plan.city_pks[qid] = row[0]
    for row in rows.values():
        existing = stored.by_qid.get(row.qid)
        if existing is None:
            slug = slugs.allocate(name=row.name, country=row.country, qid=row.qid)
            plan.new_cities.append((row, slug))
            twin = stored.unidentified.get((row.name.lower(), row.country))
            if twin is not None:
                plan.possible_duplicates.append(
                    f"{row.qid} {row.name} ({row.country}) is created as /{slug}/, but city "
                    f"#{twin} has the same name and country and no Wikidata ID"
                )
            continue
        pk, _, name, _, country, latitude, longitude, region = existing
        stored_values = {
            "name": name,
            "country": str(country),
            "latitude": latitude,
            "longitude": longitude,
        }
        changes = {}
        for attr in CITY_FIELDS:
            new = getattr(row, attr)
            # An empty cell is an unknown value: it never erases what is stored.
            if new is not None and new != stored_values[attr]:
                changes[attr] = (stored_values[attr], new)
        if row.region and not region:
            changes["region"] = (region, row.region)
        if changes:
            plan.updated_cities.append(CityUpdate(row=row, pk=pk, changes=changes))
        else:
            plan.unchanged_cities += 1


def collect_links(
    *,
    links: dict[tuple[str, str], int],
    statements: Statements,
    links_file: str,
    relations_file: str,
) -> dict[tuple[str, str], LinkPlan]:
    """One LinkPlan per undirected pair, from both files.

    One-sidedness is known only where relations.tsv has both cities: a pair stated
    in one direction only is one-sided, in both directions two-sided. A pair that
    only links.tsv lists (an undirected list) stays unknown.
    """
    found: dict[tuple[str, str], LinkPlan] = {}
    for pair, line in links.items():
        found[pair] = LinkPlan(
            qids=pair, where=f"{links_file}:{line}", sources={WIKIDATA_CITIES.key}
        )
    directions: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for stated, line in statements.directed.items():
        a, b = stated
        pair = (a, b) if a < b else (b, a)
        directions[pair].append(stated)
        if pair not in found:
            found[pair] = LinkPlan(qids=pair, where=f"{relations_file}:{line}")
        found[pair].sources.add(L3VIATHAN_WIKIDATA.key)
    for pair, stated in directions.items():
        link = found[pair]
        link.one_sided = len(stated) == 1
        link.stated_by = stated[0][0] if link.one_sided else ""
    return found


def load_stored_links() -> dict[tuple[int, int], tuple[int, bool]]:
    """(city_a_id, city_b_id) → (pk, one_sided) of the link the import merges into.

    Where two cities have links of several kinds, the twin link is the one Wikidata's
    "twinned administrative body" describes; failing that, the oldest.
    """
    chosen: dict[tuple[int, int], tuple[int, bool, bool]] = {}
    rows = Partnership.objects.values_list("pk", "city_a_id", "city_b_id", "kind", "one_sided")
    for pk, a, b, kind, one_sided in rows.order_by("pk").iterator(chunk_size=5000):
        is_twin = kind == PartnershipKind.TWIN
        current = chosen.get((a, b))
        if current is None or (is_twin and not current[2]):
            chosen[(a, b)] = (pk, one_sided, is_twin)
    return {pair: (pk, one_sided) for pair, (pk, one_sided, _) in chosen.items()}


def load_dataset_sources() -> dict[str, int]:
    found = {}
    for dataset in DATASETS:
        pk = (
            Source.objects.filter(publisher=dataset.publisher, title=dataset.title)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            found[dataset.key] = pk
    return found


def plan_links(plan: Plan, found: dict[tuple[str, str], LinkPlan]) -> None:
    stored = load_stored_links()
    source_keys = {pk: key for key, pk in plan.source_pks.items()}
    cited: set[tuple[int, str]] = {
        (partnership_id, source_keys[source_id])
        for partnership_id, source_id in PartnershipSource.objects.filter(
            source_id__in=list(source_keys)
        )
        .values_list("partnership_id", "source_id")
        .iterator(chunk_size=5000)
    }
    for link in found.values():
        if link.one_sided:
            plan.one_sided_links.append(link)
        pks = [plan.city_pks.get(qid) for qid in link.qids]
        existing = None
        if None not in pks:
            existing = stored.get((min(pks), max(pks)))
        if existing is None:
            plan.new_links.append(link)
            continue
        link.existing_pk, stored_one_sided = existing
        if link.one_sided is not None and link.one_sided != stored_one_sided:
            link.one_sided_change = (stored_one_sided, link.one_sided)
        link.missing_sources = {key for key in link.sources if (link.existing_pk, key) not in cited}
        if link.one_sided_change or link.missing_sources:
            plan.updated_links.append(link)
        else:
            plan.unchanged_links += 1
