"""The public site: server-rendered pages over the cities and partnerships apps.

Views stay thin: a form reads the query string, a selector (selectors.py) fetches
the rows in a fixed number of queries, the template shows them.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_countries import countries

from cities.models import redirect_target

from . import forms, selectors
from .maps import home_map, map_of_pair

PER_PAGE = 50


def _paginate(request, rows: QuerySet) -> Page:
    # get_page() turns "?page=junk" or a page past the end into a page that exists.
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _map_settings() -> dict:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def home(request):
    figures = selectors.headline_figures()
    return render(
        request,
        "public/home.html",
        {
            "figures": figures,
            "events": selectors.latest_events(),
            "search_form": forms.SearchForm(),
            "map_data": home_map(figures.fingerprint, has_links=figures.links > 0),
            "map_settings": _map_settings(),
        },
    )


def city_list(request):
    countries = selectors.country_choices()
    form = forms.CityFilterForm(request.GET or None, countries=countries)
    page = None
    # An unknown ?sort= is not an error that hides the list: the default order, said so.
    sort = request.GET.get("sort", "")
    bad_sort = bool(sort) and sort not in selectors.CITY_SORTS
    if bad_sort:
        sort = ""
    show_native = False
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        rows = selectors.city_list(
            term=data.get("q", ""), country=data.get("country", ""), sort=sort, countries=countries
        )
        page = _paginate(request, rows)
        # No "Native name" column when no city of this page has one.
        show_native = any(city.native_name for city in page.object_list)
    return render(
        request,
        "public/city_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(form.is_bound and form.has_changed()),
            "sort": sort,
            "bad_sort": bad_sort,
            "show_native": show_native,
        },
    )


def city_detail(request, slug):
    try:
        city_page = selectors.city_page(slug)
    except Http404:
        # A slug the city had before a rename or a merge keeps working.
        moved = redirect_target(slug)
        if moved is None:
            raise
        return redirect(moved.get_absolute_url(), permanent=True)
    return render(
        request,
        "public/city_detail.html",
        {
            "page": city_page,
            "city": city_page.city,
            "map_data": city_page.map,
            "map_settings": _map_settings(),
        },
    )


def partnership_list(request):
    form = forms.PartnershipFilterForm(request.GET or None, countries=selectors.country_choices())
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        rows = selectors.partnership_list(
            term=data.get("q", ""),
            country=data.get("country", ""),
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            area=data.get("area", ""),
        )
        page = _paginate(request, rows)
    return render(
        request,
        "public/partnership_list.html",
        {"form": form, "page": page, "filtered": bool(form.is_bound and form.has_changed())},
    )


def partnership_detail(request, pk):
    partnership = selectors.partnership_page(pk)
    return render(
        request,
        "public/partnership_detail.html",
        {
            "partnership": partnership,
            "map_data": map_of_pair(partnership.city_a, partnership.city_b),
            "map_settings": _map_settings(),
        },
    )


def office_list(request):
    form = forms.OfficeFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        status = form.cleaned_data.get("status", "") if form.is_bound else ""
        page = _paginate(request, selectors.office_list(status=status))
    return render(
        request,
        "public/office_list.html",
        {"form": form, "page": page, "filtered": bool(form.is_bound and form.has_changed())},
    )


def office_detail(request, slug):
    office_page = selectors.office_page(slug)
    office = office_page.office
    return render(
        request,
        "public/office_detail.html",
        {
            "office": office,
            "network": office_page.network,
            "map_data": map_of_pair(office.home_city, office.host_city),
            "map_settings": _map_settings(),
        },
    )


def official_detail(request, slug):
    official_page = selectors.official_page(slug)
    return render(
        request,
        "public/official_detail.html",
        {
            "official": official_page.official,
            "events": official_page.events,
            "quotes": official_page.quotes,
        },
    )


def search(request):
    form = forms.SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.search(form.cleaned_data["q"])
    return render(request, "public/search.html", {"form": form, "results": results})


def country_detail(request, code):
    """/countries/il/: the canonical address is the lower-case ISO code; any other case
    redirects there, a code that is no ISO 3166-1 country (or that no city has) is a 404."""
    if len(code) != 2 or code.upper() not in countries:
        raise Http404("No such country code.")
    if code != code.lower():
        url = reverse("public:country-detail", kwargs={"code": code.lower()})
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return redirect(url, permanent=True)
    country_page = selectors.country_page(code.upper(), request.GET.get("page"))
    return render(
        request,
        "public/country_detail.html",
        {
            "country": country_page,
            "page": country_page.cities,
            "map_data": country_page.map,
            "map_settings": _map_settings(),
        },
    )


def country_list(request):
    return render(request, "public/country_list.html", {"countries": selectors.country_index()})
