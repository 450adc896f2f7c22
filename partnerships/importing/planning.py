"""Compare what the files say with what the database holds: the plan of changes.

Everything the database holds that the plan needs is read up front in a few
queries (cities, links, citations, names) into dicts, so planning costs no query
per row. The plan is the same for a dry run and a real one; only applying differs.

Places are identified by a key: the Wikidata ID where one is known, `pk:<id>` for a
stored city without one, `new:<n>` for a place a free-text data set adds.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from cities.models import City, CityName, PossibleDuplicate

from ..models import Partnership, PartnershipKind, PartnershipSource, PartnershipStatus, Source
from .datasets import (
    CZECH_PARTNERSHIPS,
    DATASETS,
    L3VIATHAN_WIKIDATA,
    WIKIDATA_CITIES,
    WIKIPEDIA_LISTS,
)
from .matching import Gazetteer, Place, place_keys
from .names import RIGHT_TO_LEFT, native_label
from .places import name_key
from .reading import CityRow, Statements
from .slugs import SlugAllocator, legacy_slug, plain_slug
from .towns import MentionPair

# Fields the Wikidata cities set is the reference for; anything else on a city
# (slug, native name, description, population) belongs to staff and is never touched.
CITY_FIELDS = ("name", "country", "latitude", "longitude")
IMPORT_REASON_PREFIX = "Imported by manage.py import_twin_cities"


@dataclass
class NewCity:
    key: str
    name: str
    country: str
    region: str
    latitude: Decimal | None
    longitude: Decimal | None
    qid: str
    where: str
    slug: str = ""


@dataclass
class CityUpdate:
    pk: int
    label: str
    where: str
    changes: dict[str, tuple[object, object]]


@dataclass
class LinkPlan:
    qids: tuple[str, str]  # the two place keys, sorted
    where: str  # file:line of the first row that states the link
    sources: set[str] = field(default_factory=set)
    one_sided: bool | None = None  # None: the data cannot tell
    stated_by: str = ""
    year: int | None = None  # start year, from the Czech data
    existing_pk: int | None = None
    one_sided_change: tuple[bool, bool] | None = None
    missing_sources: set[str] = field(default_factory=set)
    start_change: int | None = None  # a year to give a stored link that has no start


@dataclass
class NamePlan:
    native: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # key → name, lang, dir
    other: list[tuple[str, str, str]] = field(default_factory=list)  # key, language, name
    by_language: Counter = field(default_factory=Counter)


@dataclass
class Plan:
    new_cities: list[NewCity] = field(default_factory=list)
    updated_cities: list[CityUpdate] = field(default_factory=list)
    unchanged_cities: int = 0
    new_links: list[LinkPlan] = field(default_factory=list)
    updated_links: list[LinkPlan] = field(default_factory=list)
    unchanged_links: int = 0
    one_sided_links: list[LinkPlan] = field(default_factory=list)
    city_pks: dict[str, int] = field(default_factory=dict)  # place key → pk, once stored
    source_pks: dict[str, int] = field(default_factory=dict)  # dataset key → Source pk
    sources_to_key: list[int] = field(default_factory=list)  # found by text: give them the key
    possible_duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    names: NamePlan = field(default_factory=NamePlan)
    redirects: list[tuple[str, int]] = field(default_factory=list)  # old slug, pk
    relabel: list[int] = field(default_factory=list)  # links an earlier import called twin
    place_labels: dict[str, str] = field(default_factory=dict)  # key → "Name (CC)"
    links_by_dataset: Counter = field(default_factory=Counter)
    places_by_dataset: Counter = field(default_factory=Counter)
    matching: object = None
    identified_by_partner: int = 0
    self_links: int = 0
    datasets_used: set[str] = field(default_factory=set)  # whose files this run reads
    folded: list[str] = field(default_factory=list)  # rows naming a pair a row named before

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_cities
            or self.updated_cities
            or self.new_links
            or self.updated_links
            or self.possible_duplicates
            or self.names.native
            or self.names.other
            or self.redirects
            or self.relabel
            or self.sources_to_key
            or bool(self.datasets_used - set(self.source_pks))
        )


@dataclass
class StoredCities:
    rows: dict[int, tuple] = field(default_factory=dict)  # pk → row
    by_qid: dict[str, tuple] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)


STORED_FIELDS = (
    "pk",
    "wikidata_id",
    "name",
    "slug",
    "country",
    "latitude",
    "longitude",
    "region",
    "native_name",
)


def load_stored_cities() -> StoredCities:
    stored = StoredCities()
    for row in City.objects.values_list(*STORED_FIELDS).iterator(chunk_size=5000):
        stored.rows[row[0]] = row
        stored.slugs.add(row[3])
        if row[1]:
            stored.by_qid[row[1]] = row
    return stored


def stored_key(row) -> str:
    return row[1] or f"pk:{row[0]}"


def build_gazetteer(rows: dict[str, CityRow], stored: StoredCities) -> Gazetteer:
    """Every stored city and every city of the Wikidata set, as places to match against."""
    continents = {row.country: row.continent for row in rows.values() if row.continent}
    gazetteer = Gazetteer(continents)
    for row in stored.rows.values():
        pk, qid, name, _, country, latitude, longitude, region, _ = row
        c_row = rows.get(qid) if qid else None
        if c_row is not None:  # the data is the reference for these fields
            name, country = c_row.name, c_row.country
            latitude = c_row.latitude if c_row.latitude is not None else latitude
            longitude = c_row.longitude if c_row.longitude is not None else longitude
        gazetteer.add(
            Place(
                key=stored_key(row),
                name=name,
                country=str(country),
                region=region or (c_row.region if c_row else ""),
                latitude=latitude,
                longitude=longitude,
                qid=qid or "",
                pk=pk,
            )
        )
    for qid, row in rows.items():
        if qid in stored.by_qid:
            continue
        gazetteer.add(
            Place(
                key=qid,
                name=row.name,
                country=row.country,
                region=row.region,
                latitude=row.latitude,
                longitude=row.longitude,
                qid=qid,
                new=True,
            )
        )
    return gazetteer


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def collect_links(
    *,
    links: dict[tuple[str, str], int],
    statements: Statements,
    links_file: str,
    relations_file: str,
) -> dict[tuple[str, str], LinkPlan]:
    """One LinkPlan per undirected pair of the two Wikidata sets (keys are QIDs).

    One-sidedness is known only where relations.tsv has both places: a pair stated
    in one direction only is one-sided, in both directions two-sided. A pair that
    only links.tsv lists (an undirected list) stays unknown.
    """
    found: dict[tuple[str, str], LinkPlan] = {}
    for pair, line in links.items():
        found[pair] = LinkPlan(
            qids=pair, where=f"{links_file}:{line}", sources={WIKIDATA_CITIES.key}
        )
    add_statements(found, statements.directed, lambda qid: qid, relations_file)
    return found


def add_statements(found, directed, key_of, relations_file) -> None:
    directions: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for (a, b), line in directed.items():
        ka, kb = key_of(a), key_of(b)
        if ka is None or kb is None or ka == kb:
            continue
        pair = _pair(ka, kb)
        directions[pair].append((ka, kb))
        if pair not in found:
            found[pair] = LinkPlan(qids=pair, where=f"{relations_file}:{line}")
        found[pair].sources.add(L3VIATHAN_WIKIDATA.key)
    for pair, stated in directions.items():
        link = found[pair]
        link.one_sided = len(stated) == 1
        link.stated_by = stated[0][0] if link.one_sided else ""


def place_towns(
    plan: Plan,
    gazetteer: Gazetteer,
    found: dict[tuple[str, str], LinkPlan],
    pairs: list[MentionPair],
    *,
    dataset: str,
    file: str,
    rejections,
) -> None:
    """Match each mention of a free-text data set to a place; add its links."""
    for pair in pairs:
        a, b = gazetteer.place(pair.a), gazetteer.place(pair.b)
        if a.key == b.key:
            plan.self_links += 1
            rejections.add(
                file,
                pair.line,
                f"both names are one place ({a.name}, {a.country}): not a link",
                f"{pair.a.written} / {pair.b.written}",
            )
            continue
        key = _pair(a.key, b.key)
        link = found.get(key)
        if link is None:
            link = found[key] = LinkPlan(qids=key, where=f"{file}:{pair.line}")
        if dataset in link.sources:
            plan.folded.append(
                f"{file}:{pair.line} {a.name} ({a.country}) - {b.name} "
                f"({b.country}) repeats {link.where}"
            )
        link.sources.add(dataset)
        if pair.year is not None and (link.year is None or pair.year < link.year):
            link.year = pair.year


def identify_by_partner(
    plan: Plan,
    gazetteer: Gazetteer,
    found: dict[tuple[str, str], LinkPlan],
    statements: Statements,
    labels: dict[str, str],
    *,
    taken: dict[str, str],
) -> dict[str, str]:
    """A place of the 2016 statements that the cities data lacks (a QID and a label) is a
    place a free-text set added when that place has the same folded name and a partner
    the statement names: QID → place key. Without such a partner it stays outside; two
    QIDs that would name one place are both left outside."""
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in found:
        partners[a].add(b)
        partners[b].add(a)
    outside = {qid for qid in statements.outside if qid not in taken}

    def key_of(qid: str) -> str | None:
        if qid in taken:
            return taken[qid]
        return None if qid in statements.outside else qid

    outside_partners: dict[str, set[str]] = defaultdict(set)
    for a, b in statements.outside_pairs:
        for here, there in ((a, b), (b, a)):
            if here in outside and key_of(there) is not None:
                outside_partners[here].add(key_of(there))
    claims: dict[str, list[str]] = defaultdict(list)
    for qid, stated in sorted(outside_partners.items()):
        label_keys = place_keys(labels.get(qid, ""))
        if not label_keys:
            continue
        candidates = set()
        for partner in stated:
            for key in partners.get(partner, ()):
                place = gazetteer.places[key]
                if not place.qid and place.keys & label_keys:
                    candidates.add(key)
        if len(candidates) == 1:
            claims[candidates.pop()].append(qid)
    identified = {qids[0]: key for key, qids in claims.items() if len(qids) == 1}
    for qid, key in identified.items():
        gazetteer.places[key].qid = qid
    return identified


def plan_cities(
    plan: Plan, gazetteer: Gazetteer, rows: dict[str, CityRow], stored: StoredCities
) -> None:
    for row in stored.rows.values():
        pk, qid, name, slug, country, latitude, longitude, region, _ = row
        key = stored_key(row)
        plan.city_pks[key] = pk
        place = gazetteer.places[key]
        changes = {}
        c_row = rows.get(qid) if qid else None
        if c_row is not None:
            values = {
                "name": name,
                "country": str(country),
                "latitude": latitude,
                "longitude": longitude,
            }
            for attr in CITY_FIELDS:
                new = getattr(c_row, attr)
                # An empty cell is an unknown value: it never erases what is stored.
                if new is not None and new != values[attr]:
                    changes[attr] = (values[attr], new)
        fill = (c_row.region if c_row and c_row.region else "") or place.region_fill
        if fill and not region:
            changes["region"] = (region, fill)
        if place.qid and not qid:
            changes["wikidata_id"] = ("", place.qid)
        where = f"{c_row.line}" if c_row else ""
        label = f"{qid} {c_row.name}" if c_row else f"#{pk} {name} ({country})"
        if changes:
            plan.updated_cities.append(CityUpdate(pk, label, where, changes))
        else:
            plan.unchanged_cities += 1
    for place in gazetteer.places.values():
        if not place.new:
            continue
        row = rows.get(place.key)
        plan.new_cities.append(
            NewCity(
                key=place.key,
                name=place.name,
                country=place.country,
                region=place.region or place.region_fill,
                latitude=place.latitude,
                longitude=place.longitude,
                qid=place.qid,
                where=f"cities.csv:{row.line}" if row else ", ".join(sorted(place.datasets)),
            )
        )
        plan.places_by_dataset[place.origin or WIKIDATA_CITIES.key] += 1
    for place in gazetteer.places.values():
        plan.place_labels[place.key] = (
            f"{place.name}, {place.region} ({place.country})"
            if place.region
            else f"{place.name} ({place.country})"
        )


def allocate_slugs(plan: Plan, stored: StoredCities, found: dict) -> None:
    """Where a name is shared, the best-known place (most links) keeps the plain slug."""
    degree: Counter = Counter()
    for a, b in found:
        degree[a] += 1
        degree[b] += 1
    slugs = SlugAllocator(stored.slugs)
    # Stored cities whose slug lost letters to slugify (Łódź → odz) get the
    # transliterated one; the old slug keeps working as a redirect.
    for row in stored.rows.values():
        pk, qid, name, slug, *_ = row
        legacy, plain = legacy_slug(name), plain_slug(name)
        if not qid or legacy == plain:
            continue
        if slug == legacy or slug.startswith(legacy + "-"):
            new = slugs.allocate(name=name, region=row[7], country=str(row[4]), qid=qid)
            if new != slug:
                plan.redirects.append((slug, pk))
                plan.updated_cities.append(
                    CityUpdate(pk, f"{name} ({row[4]})", "", {"slug": (slug, new)})
                )
    order = sorted(
        plan.new_cities, key=lambda c: (-degree[c.key], c.name, c.country, c.region, c.key)
    )
    for city in order:
        city.slug = slugs.allocate(
            name=city.name, region=city.region, country=city.country, qid=city.qid or city.key
        )


def plan_names(
    plan: Plan, gazetteer: Gazetteer, labels: dict[str, dict[str, str]], stored: StoredCities
) -> None:
    if not labels:
        return
    have = set(CityName.objects.values_list("city_id", "language").iterator(chunk_size=5000))
    for place in gazetteer.places.values():
        names = labels.get(place.qid) if place.qid else None
        if not names:
            continue
        pk = place.pk
        native = native_label(place.country, names)
        stored_native = stored.rows[pk][8] if pk is not None else ""
        if native and not stored_native:
            direction = "rtl" if native.language in RIGHT_TO_LEFT else "ltr"
            plan.names.native[place.key] = (native.name, native.language, direction)
        for language, name in sorted(names.items()):
            if pk is not None and (pk, language) in have:
                continue
            plan.names.other.append((place.key, language, name))
            plan.names.by_language[language] += 1


def load_stored_links() -> dict[tuple[int, int], tuple[int, bool, bool]]:
    """(city_a_id, city_b_id) → (pk, one_sided, has a start) of the link the import merges
    into. Where two cities have links of several kinds, the twin link is the one Wikidata's
    "twinned administrative body" describes; failing that, the oldest.
    """
    chosen: dict[tuple[int, int], tuple[int, bool, bool, bool]] = {}
    rows = Partnership.objects.values_list(
        "pk", "city_a_id", "city_b_id", "kind", "one_sided", "start_date"
    )
    for pk, a, b, kind, one_sided, start in rows.order_by("pk").iterator(chunk_size=5000):
        is_twin = kind == PartnershipKind.TWIN
        current = chosen.get((a, b))
        if current is None or (is_twin and not current[3]):
            chosen[(a, b)] = (pk, one_sided, start is not None, is_twin)
    return {pair: value[:3] for pair, value in chosen.items()}


def load_dataset_sources(plan: Plan) -> None:
    """Each data set's Source by its stable key; an older database's by its text."""
    keyed = dict(Source.objects.exclude(dataset_key="").values_list("dataset_key", "pk"))
    for dataset in DATASETS:
        if dataset.key in keyed:
            plan.source_pks[dataset.key] = keyed[dataset.key]
            continue
        pk = (
            Source.objects.filter(publisher=dataset.publisher, title=dataset.title, dataset_key="")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            plan.source_pks[dataset.key] = pk
            plan.sources_to_key.append(pk)


def find_relabels(plan: Plan) -> None:
    """Links an earlier import stored as twin/active that no one has edited since: the
    data never said so, so they become 'kind not stated' / 'not recorded'."""
    history = Partnership.history.model.objects
    touched = set(
        history.filter(
            ~Q(history_change_reason__startswith=IMPORT_REASON_PREFIX)
            | Q(history_change_reason__isnull=True)
        ).values_list("id", flat=True)
    )
    imported = history.filter(
        history_type="+", history_change_reason__startswith=IMPORT_REASON_PREFIX
    ).values_list("id", flat=True)
    candidates = set(imported) - touched
    if not candidates:
        return
    plan.relabel = sorted(
        Partnership.objects.filter(
            pk__in=candidates, kind=PartnershipKind.TWIN, status=PartnershipStatus.ACTIVE
        ).values_list("pk", flat=True)
    )


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
        for dataset in link.sources:
            plan.links_by_dataset[dataset] += 1
        if link.one_sided:
            plan.one_sided_links.append(link)
        pks = [plan.city_pks.get(key) for key in link.qids]
        existing = None
        if None not in pks:
            existing = stored.get((min(pks), max(pks)))
        if existing is None:
            plan.new_links.append(link)
            continue
        link.existing_pk, stored_one_sided, has_start = existing
        if link.one_sided is not None and link.one_sided != stored_one_sided:
            link.one_sided_change = (stored_one_sided, link.one_sided)
        if link.year is not None and not has_start:
            link.start_change = link.year
        link.missing_sources = {key for key in link.sources if (link.existing_pk, key) not in cited}
        if link.one_sided_change or link.missing_sources or link.start_change:
            plan.updated_links.append(link)
        else:
            plan.unchanged_links += 1


def plan_possible_duplicates(plan: Plan, gazetteer: Gazetteer) -> None:
    pks = {key: pk for key, pk in plan.city_pks.items()}
    listed = set()
    known = [(a, b) for a, b in gazetteer.possible_duplicates if a in pks and b in pks]
    if known:
        listed = set(PossibleDuplicate.objects.values_list("city_a_id", "city_b_id"))
    for (a, b), why in gazetteer.possible_duplicates.items():
        if a in pks and b in pks:
            pa, pb = sorted((pks[a], pks[b]))
            if (pa, pb) in listed:
                continue
        plan.possible_duplicates.append((a, b, why))


__all__ = [
    "CityUpdate",
    "LinkPlan",
    "NewCity",
    "Plan",
    "StoredCities",
    "build_gazetteer",
    "collect_links",
    "load_dataset_sources",
    "load_stored_cities",
    "name_key",
    "plan_cities",
    "plan_links",
    "CZECH_PARTNERSHIPS",
    "WIKIPEDIA_LISTS",
]
