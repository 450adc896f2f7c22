"""Reads for the public pages. Each function fetches what one page shows in a fixed number
of queries, whatever the number of rows (the tests in tests/test_pages_*.py pin them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language

from cities.models import City
from cities.names import choose_name
from cities.search import closest_name
from common.dates import PartialDate
from partnerships.choices import PartnershipKind, PartnershipStatus
from partnerships.models import (
    Event,
    LiaisonOffice,
    Official,
    OrganizationFigure,
    Partnership,
    Quote,
)
from partnerships.selectors import (
    country_pair_counts,
    link_count,
    partner_country_counts,
    partners_of,
    start_decade_counts,
)

from . import maps
from .countries import choices_for, country_name

LATEST_EVENTS_ON_HOME = 5
EVENTS_ON_CITY_PAGE = 20
SEARCH_RESULTS_PER_KIND = 20
CITIES_PER_COUNTRY_PAGE = 50
#: Up to this many partners a city page lists them in one table; beyond, by country.
PARTNERS_UNGROUPED_MAX = 20


# ---------------------------------------------------------------- shared querysets


def events_with_context() -> QuerySet[Event]:
    """Events with what a one-line listing names: where, which link, which office."""
    return Event.objects.select_related(
        "city", "partnership__city_a", "partnership__city_b", "liaison_office"
    )


def events_in_full() -> QuerySet[Event]:
    """Events with participants, quotes (with speakers) and sources: the timeline's needs."""
    return events_with_context().prefetch_related(
        Prefetch("participants", queryset=Official.objects.select_related("city")),
        "sources",
        Prefetch("quotes", queryset=Quote.objects.select_related("official", "source")),
    )


def offices_with_context() -> QuerySet[LiaisonOffice]:
    return LiaisonOffice.objects.select_related("organization", "home_city", "host_city")


# ---------------------------------------------------------------- home


@dataclass(frozen=True)
class HeadlineFigures:
    cities: int
    links: int
    countries: int
    offices: int
    # Changes whenever a city or a link is added, removed or saved: the world map's
    # cache key, read from the same queries as the figures.
    fingerprint: str = ""


def headline_figures() -> HeadlineFigures:
    # Three queries: cities with their distinct countries, links, liaison offices.
    city_counts = City.objects.aggregate(
        cities=Count("pk"), countries=Count("country", distinct=True), changed=Max("updated_at")
    )
    link_counts = Partnership.objects.aggregate(links=Count("pk"), changed=Max("updated_at"))
    fingerprint = "{}:{}:{}:{}".format(
        city_counts["cities"],
        city_counts["changed"].timestamp() if city_counts["changed"] else 0,
        link_counts["links"],
        link_counts["changed"].timestamp() if link_counts["changed"] else 0,
    )
    return HeadlineFigures(
        cities=city_counts["cities"],
        countries=city_counts["countries"],
        links=link_counts["links"],
        offices=LiaisonOffice.objects.count(),
        fingerprint=fingerprint,
    )


def latest_events(limit: int = LATEST_EVENTS_ON_HOME) -> list[Event]:
    return list(events_with_context().order_by("-date", "-pk")[:limit])


# ---------------------------------------------------------------- cities


def country_choices() -> list[tuple[str, str]]:
    """Countries that have at least one city, by name (one query)."""
    return choices_for(City.objects.order_by().values_list("country", flat=True).distinct())


#: The city list's orders (?sort=): "-" first is the reverse. "links" is fewest first,
#: "-links" most first; "country" is by the country's name in the reader's language.
CITY_SORTS = ("name", "-name", "country", "-country", "links", "-links")


def city_list(
    *, term: str = "", country: str = "", sort: str = "", countries: list | None = None
) -> QuerySet[City]:
    """Cities matching the term, in the country, in the order `sort` (one of CITY_SORTS;
    anything else: the search's ranking, or by name). `countries` are the filter's
    (code, name) choices in name order, which sort by country reuses (no query)."""
    cities = City.objects.search(term)
    if country:
        cities = cities.filter(country=country)
    # country_code: the raw column, named through public.countries (see there why).
    cities = cities.annotate(link_count=link_count(), country_code=F("country"))
    if sort not in CITY_SORTS:
        # A search keeps its ranking (best match first); the full list is by name.
        return cities if term.strip() else cities.order_by("name", "country", "pk")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "country":
        # The rank of each code in the names' order: a CASE over the countries present.
        ranks = [When(country=code, then=Value(i)) for i, (code, _n) in enumerate(countries or [])]
        cities = cities.alias(
            country_rank=Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())
            if ranks
            else Value(0)
        )
        primary = "country_rank"
    else:
        primary = {"name": "name", "links": "link_count"}[key]
    first = F(primary).desc() if descending else F(primary).asc()
    return cities.order_by(first, "name", "country", "pk")


class PartnerRow(TypedDict):
    """One line of a city's partner list: the link, seen from that city.

    Plain dicts, not model instances: a city can have hundreds of partners, and the
    template engine resolves a dict key faster than an attribute; the labels and the
    link's URL are worked out once here rather than once per row in the template.
    """

    url: str
    name: str  # in the reader's language (cities.names)
    name_language: str  # the language tag of `name`
    slug: str
    region: str  # told apart from namesakes: "Springfield, Illinois"
    country: str
    country_code: str  # "IL", for the link to the country's page
    latitude: Decimal | None
    longitude: Decimal | None
    partner_pk: int
    kind: str
    status: str
    status_label: str
    since: PartialDate | None
    since_is_approximate: bool
    until: PartialDate | None
    one_sided: bool
    link_count: int  # links of several kinds with the same partner are one row


_LINK_FIELDS = (
    "pk",
    "kind",
    "status",
    "start_date",
    "start_precision",
    "start_is_approximate",
    "end_date",
    "end_precision",
    "one_sided",
    "city_a_id",
    "city_b_id",
)
_PARTNER_FIELDS = (
    "name",
    "native_name",
    "native_name_language",
    "slug",
    "region",
    "country",
    "latitude",
    "longitude",
)


def url_for_each(viewname: str) -> Callable[[int], str]:
    """A function pk -> URL, for pages that link hundreds of rows to one view.

    reverse() walks the resolver on every call; reversing once with a placeholder
    and formatting costs a string replace per row. The placeholder is a number the
    <int:pk> converter accepts and no real row would show in a URL's other parts.
    """
    placeholder = "9081726354"
    pattern = reverse(viewname, kwargs={"pk": int(placeholder)})
    return lambda pk: pattern.replace(placeholder, str(pk))


def partner_rows(city: City) -> list[PartnerRow]:
    """Every partner of the city, as seen from it, in the API's partner order (one query).

    A pair may be linked under several kinds (twin and friendship): that is one
    partner, shown once with its kinds together, and counted once in "Partner cities".
    The row opens the pair's first link; its page lists the others.
    """
    fields = _LINK_FIELDS + tuple(f"city_{side}__{f}" for side in "ab" for f in _PARTNER_FIELDS)
    links = partners_of(city).values(*fields)
    link_url = url_for_each("public:partnership-detail")
    # Labels in the reader's language, translated once for the whole table.
    kinds = {value: str(label) for value, label in PartnershipKind.choices}
    statuses = {value: str(label) for value, label in PartnershipStatus.choices}
    language = get_language()
    rows: dict[int, PartnerRow] = {}
    for link in links:
        side = "b" if link["city_a_id"] == city.pk else "a"
        partner_pk = link[f"city_{side}_id"]
        if (seen := rows.get(partner_pk)) is not None:
            seen["kind"] = f"{seen['kind']}, {kinds.get(link['kind'], link['kind'])}"
            seen["one_sided"] = seen["one_sided"] and link["one_sided"]
            seen["link_count"] += 1
            continue
        name, name_language = choose_name(
            name=link[f"city_{side}__name"],
            native_name=link[f"city_{side}__native_name"],
            native_name_language=link[f"city_{side}__native_name_language"],
            language=language,
        )
        rows[partner_pk] = PartnerRow(
            url=link_url(link["pk"]),
            name=name,
            name_language=name_language,
            slug=link[f"city_{side}__slug"],
            region=link[f"city_{side}__region"],
            country=country_name(link[f"city_{side}__country"]),
            country_code=link[f"city_{side}__country"],
            latitude=link[f"city_{side}__latitude"],
            longitude=link[f"city_{side}__longitude"],
            partner_pk=partner_pk,
            kind=kinds.get(link["kind"], link["kind"]),
            status=link["status"],
            status_label=statuses.get(link["status"], link["status"]),
            since=PartialDate.of(link["start_date"], link["start_precision"]),
            since_is_approximate=link["start_is_approximate"],
            until=PartialDate.of(link["end_date"], link["end_precision"]),
            one_sided=link["one_sided"],
            link_count=1,
        )
    return list(rows.values())


@dataclass
class CityPage:
    city: City
    partners: list[PartnerRow]
    offices_sent: list[LiaisonOffice]
    offices_hosted: list[LiaisonOffice]
    officials: list[Official]
    events: list[Event]
    map: maps.MapData

    @property
    def office_count(self) -> int:
        return len(self.offices_sent) + len(self.offices_hosted)

    @property
    def partners_grouped(self) -> bool:
        """A long partner list is shown folded by country (a mobile page of a city with
        100 partners would otherwise run to 18,000 px)."""
        return len(self.partners) > PARTNERS_UNGROUPED_MAX

    @property
    def partner_groups(self) -> list[dict]:
        """The partners by country: most partners first, then by name; each group's
        rows keep the list's order."""
        groups: dict[str, dict] = {}
        for row in self.partners:
            group = groups.setdefault(
                row["country_code"],
                {"code": row["country_code"], "name": row["country"], "rows": []},
            )
            group["rows"].append(row)
        return sorted(groups.values(), key=lambda g: (-len(g["rows"]), g["name"]))


def city_page(slug: str) -> CityPage:
    # Five queries: the city, its links, its offices (both ways), officials, events.
    city = get_object_or_404(City, slug=slug)
    partners = partner_rows(city)
    offices = list(
        offices_with_context()
        .filter(Q(home_city=city) | Q(host_city=city))
        .order_by("network_ordinal", "name")
    )
    officials = list(city.officials.select_related("organization").order_by("name"))
    events = list(
        events_with_context()
        .filter(
            Q(city=city)
            | Q(partnership__city_a=city)
            | Q(partnership__city_b=city)
            | Q(liaison_office__home_city=city)
            | Q(liaison_office__host_city=city)
        )
        .order_by("-date", "-pk")[:EVENTS_ON_CITY_PAGE]
    )
    return CityPage(
        city=city,
        partners=partners,
        offices_sent=[office for office in offices if office.home_city_id == city.pk],
        offices_hosted=[office for office in offices if office.host_city_id == city.pk],
        officials=officials,
        events=events,
        map=maps.map_of_city(city, partners),
    )


# ---------------------------------------------------------------- partnerships


def partnership_list(
    *, term: str = "", country: str = "", kind: str = "", status: str = "", area: str = ""
) -> QuerySet[Partnership]:
    links = (
        Partnership.objects.with_cities()
        # Lists, not querysets, for the template: each .all() on a related manager
        # clones a query, which on a page of 50 rows cost more than the queries.
        .prefetch_related(Prefetch("areas", to_attr="area_list"))
    )
    if term.strip():
        # The search page's rule: a link when either city (or its description) matches.
        links = links.search(term)
    if country:
        links = links.in_country(country)
    if kind:
        links = links.filter(kind=kind)
    if status:
        links = links.filter(status=status)
    if area:
        links = links.filter(areas__slug=area)
    return links.order_by("city_a__name", "city_b__name", "kind", "pk")


def partnership_page(pk: int) -> Partnership:
    # Eight queries: the link with both cities, its areas, its sources, its events, their
    # participants, sources and quotes, and the liaison offices that serve it.
    return get_object_or_404(
        Partnership.objects.with_cities().prefetch_related(
            "areas",
            "sources",
            Prefetch("events", queryset=events_in_full().order_by("date", "pk")),
            Prefetch("liaison_offices", queryset=offices_with_context().order_by("name")),
        ),
        pk=pk,
    )


# ---------------------------------------------------------------- liaison offices


def office_list(*, status: str = "") -> QuerySet[LiaisonOffice]:
    offices = offices_with_context()
    if status:
        offices = offices.filter(status=status)
    return offices.prefetch_related(Prefetch("focus_areas", to_attr="focus_area_list")).order_by(
        "organization__name", "network_ordinal", "name", "pk"
    )


@dataclass
class OfficePage:
    office: LiaisonOffice
    network: list[LiaisonOffice] = field(default_factory=list)


def office_page(slug: str) -> OfficePage:
    office = get_object_or_404(
        offices_with_context()
        .select_related("partnership__city_a", "partnership__city_b")
        .prefetch_related(
            "focus_areas",
            "sources",
            Prefetch("events", queryset=events_in_full().order_by("date", "pk")),
            Prefetch(
                "organization__figures",
                queryset=OrganizationFigure.objects.select_related("source"),
            ),
        ),
        slug=slug,
    )
    # The organisation's other offices recorded here: its network as far as it is known.
    network = list(
        LiaisonOffice.objects.filter(organization_id=office.organization_id)
        .exclude(pk=office.pk)
        .select_related("host_city")
        .order_by("network_ordinal", "name")
    )
    return OfficePage(office=office, network=network)


# ---------------------------------------------------------------- officials


@dataclass
class OfficialPage:
    official: Official
    events: list[Event]
    quotes: list[Quote]


def official_page(slug: str) -> OfficialPage:
    official = get_object_or_404(Official.objects.select_related("city", "organization"), slug=slug)
    events = list(events_with_context().filter(participants=official).order_by("date", "pk"))
    quotes = list(
        official.quotes.select_related(
            "source",
            "event__partnership__city_a",
            "event__partnership__city_b",
            "event__liaison_office",
        ).order_by("event__date", "pk")
    )
    return OfficialPage(official=official, events=events, quotes=quotes)


# ---------------------------------------------------------------- search


@dataclass
class SearchResults:
    term: str
    cities: list[City]
    partnerships: list[Partnership]
    offices: list[LiaisonOffice]
    officials: list[Official]
    limit: int = SEARCH_RESULTS_PER_KIND
    # How many there are in all, when a group was cut at `limit` (None: not cut).
    city_total: int | None = None
    partnership_total: int | None = None
    # A near city name when the search found no city ("did you mean").
    suggestion: str | None = None

    @property
    def total(self) -> int:
        return len(self.cities) + len(self.partnerships) + len(self.offices) + len(self.officials)


def _capped(rows: QuerySet, limit: int) -> tuple[list, int | None]:
    """The first `limit` rows, and how many there are in all when there are more
    (one more query, only then)."""
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    return found[:limit], rows.order_by().count()


def search(term: str, *, limit: int = SEARCH_RESULTS_PER_KIND) -> SearchResults:
    """Cities, links, offices and officials matching the term; four queries, one more
    for the number of cities or links when there are more than `limit`, one more for a
    near name when no city matches.

    Each kind by its QuerySet's search() (the rule the API's ?search= applies too): a
    link when either of its cities does; an office by its own name, its organisation
    or either city; an official by name, title or city.
    """
    term = term.strip()
    if not term:
        return SearchResults(term, [], [], [], [], limit)
    cities, city_total = _capped(City.objects.search(term), limit)  # best match first
    links, link_total = _capped(
        Partnership.objects.with_cities()
        .search(term)
        .order_by("city_a__name", "city_b__name", "pk"),
        limit,
    )
    offices = offices_with_context().search(term).order_by("name", "pk")[:limit]
    officials = Official.objects.select_related("city").search(term).order_by("name", "pk")[:limit]
    suggestion = None
    if not cities:
        suggestion = closest_name(
            term, City.objects.order_by().values_list("name", "search_text").iterator(2000)
        )
    return SearchResults(
        term,
        cities,
        links,
        list(offices),
        list(officials),
        limit,
        city_total=city_total,
        partnership_total=link_total,
        suggestion=suggestion,
    )


# ---------------------------------------------------------------- countries


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    count: int


@dataclass
class CountryPage:
    code: str  # upper case, as stored: "IL"
    name: str
    cities: Page
    link_count: int
    partner_countries: list[CountryCount]  # the country itself too, for domestic links
    decades: list[tuple[int, int]]  # (1990, links begun 1990-1999), by decade
    undated: int  # links with no known start
    map: maps.MapData

    @property
    def dated(self) -> int:
        return self.link_count - self.undated


def country_cities(code: str) -> QuerySet[City]:
    """The country's cities, most linked first (the country page's list)."""
    return (
        City.objects.filter(country=code)
        .annotate(link_count=link_count(), country_code=F("country"))
        .order_by("-link_count", "name", "pk")
    )


#: The most links a country's map draws (the busiest countries have several thousand;
#: the page's lists and the API hold them all).
COUNTRY_MAP_MAX_LINKS = 3000


def map_of_country(code: str) -> maps.MapData:
    """The country's links (at most COUNTRY_MAP_MAX_LINKS), with the cities at both
    ends: one query of plain tuples."""
    fields = ("city_a_id", "city_b_id") + tuple(
        f"city_{side}__{f}"
        for side in "ab"
        for f in ("latitude", "longitude", "name", "native_name", "native_name_language", "slug")
    )
    rows = (
        Partnership.objects.in_country(code)
        .order_by("pk")
        .values_list(*fields)[:COUNTRY_MAP_MAX_LINKS]
    )
    data = maps.MapData()
    language = get_language()
    for row in rows:
        a, b = row[0], row[1]
        for pk, offset in ((a, 2), (b, 8)):
            lat, lng, name, native, native_language, slug = row[offset : offset + 6]
            shown, _tag = choose_name(
                name=name,
                native_name=native,
                native_name_language=native_language,
                language=language,
            )
            data.add_city(pk, lat, lng, shown, slug)
        data.add_link(a, b)
    data.total_cities = len(data.cities)
    return data


def country_page(code: str, page_number) -> CountryPage:
    """Five queries: the count and one page of the country's cities, the links by
    partner country, by decade, and the map. A code no city has is a 404."""
    cities = Paginator(country_cities(code), CITIES_PER_COUNTRY_PAGE).get_page(page_number)
    if cities.paginator.count == 0:
        raise Http404("No city of this country is recorded.")
    partners = partner_country_counts(code)
    decades = start_decade_counts(Partnership.objects.in_country(code))
    undated = decades.pop(None, 0)
    return CountryPage(
        code=code,
        name=country_name(code),
        cities=cities,
        link_count=sum(partners.values()),
        partner_countries=sorted(
            (CountryCount(c, country_name(c), n) for c, n in partners.items()),
            key=lambda c: (-c.count, c.name),
        ),
        decades=sorted(decades.items()),
        undated=undated,
        map=map_of_country(code),
    )


def country_index() -> list[dict]:
    """Every country with a city: its cities and links (two grouped queries)."""
    cities = dict(
        City.objects.order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    links: dict[str, int] = dict.fromkeys(cities, 0)
    for (a, b), n in country_pair_counts(Partnership.objects.all()).items():
        links[a] = links.get(a, 0) + n
        if b != a:
            links[b] = links.get(b, 0) + n
    return sorted(
        (
            {"code": code, "name": country_name(code), "cities": n, "links": links.get(code, 0)}
            for code, n in cities.items()
        ),
        key=lambda row: row["name"],
    )
