"""The lean reads' records written by PostgreSQL (api/sqljson.py): a page of links as
PartnershipSerializer shows them and a city's partners as PartnerSerializer does,
the same bytes as the Python record makers of partnerships/api/fast.py (held to the
view's answers by tests/test_api_lean.py), each record's text made in the statement
that reads its rows.

The addresses come from the request (api.fastread.UrlTemplates): each is a prefix
and a suffix around a key, passed as parameters (`url_values`). A partner's
country name is the one thing Python adds: it is translated by Django, so a
partner's record comes in two pieces, before and after its country's name.
"""

from __future__ import annotations

from django.core.signals import setting_changed
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Collate
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import translation

from api import sqljson as j
from api.fastread import url_templates
from cities.api.fast import SUMMARY_COLUMNS
from cities.models import City
from partnerships import models as m

#: The addresses a record holds: name -> (kind, view name or model, lookup).
_URLS = {
    "city_api": ("api", "api:city-detail", "slug"),
    "city_page": ("page", City, "slug"),
    "link_api": ("api", "api:partnership-detail", "pk"),
    "link_page": ("page", m.Partnership, "pk"),
    "source_api": ("api", "api:source-detail", "pk"),
}


def url_values(request, names: tuple) -> dict:
    """The slot values of the addresses `names` for this request: {name_prefix: ...,
    name_suffix: ...}, each as it goes inside a JSON string.

    Kept per process by what they are made of (scheme, the host headers, script
    prefix, language): only a request whose host passed ALLOWED_HOSTS (in
    build_absolute_uri) ever makes an entry, and any change of the settings they
    depend on forgets them all; at most _MAX_MADE entries."""
    meta = request.META
    key = (
        names,
        request.scheme,
        meta.get("HTTP_X_FORWARDED_HOST"),
        meta.get("HTTP_HOST"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
        get_script_prefix(),
        translation.get_language(),
    )
    values = _MADE.get(key)
    if values is None:
        urls = url_templates(request)
        values = {}
        for name in names:
            kind, target, lookup = _URLS[name]
            filled = urls.api(target, lookup=lookup) if kind == "api" else urls.page(target, lookup)
            values[f"{name}_prefix"] = j.escaped(filled.prefix)
            values[f"{name}_suffix"] = j.escaped(filled.suffix)
        if len(_MADE) >= _MAX_MADE:
            _MADE.clear()
        _MADE[key] = values
    return values


_MADE: dict = {}
_MAX_MADE = 64


@receiver(setting_changed)
def _forget_urls(setting, **kwargs):
    _MADE.clear()


def url_slot_names(names) -> set:
    return {f"{name}_{end}" for name in names for end in ("prefix", "suffix")}


def _url(slot, name, key):
    return j.json_url(j.literal(slot(f"{name}_prefix")), key, j.literal(slot(f"{name}_suffix")))


def city_summary(slot, prefix: str, *, close: bool = True):
    """CitySummarySerializer of the city whose columns are `prefix`ed ("city_a__")."""
    column = dict(zip(SUMMARY_COLUMNS, (prefix + name for name in SUMMARY_COLUMNS), strict=True))
    return j.json_object(
        ("url", _url(slot, "city_api", F(column["slug"]))),
        ("page_url", _url(slot, "city_page", F(column["slug"]))),
        ("slug", j.json_slug(F(column["slug"]))),
        ("name", j.json_value(F(column["name"]))),
        ("native_name", j.json_value(F(column["native_name"]))),
        ("country", j.json_value(Coalesce(F(column["country"]), Value("")))),
        ("latitude", j.json_float(F(column["latitude"]))),
        ("longitude", j.json_float(F(column["longitude"]))),
        close=close,
    )


#: Both cities' slugs, which plain_slug() checks for each record.
_SLUGS = (F("city_a__slug"), F("city_b__slug"))


def link_terms(slot) -> list[tuple]:
    """A link's address, id and own terms (fast.link_terms), in the serializers' order."""
    return [
        ("url", _url(slot, "link_api", F("pk"))),
        ("page_url", _url(slot, "link_page", F("pk"))),
        ("id", j.json_value(F("pk"))),
        ("kind", j.json_value(F("kind"))),
        ("status", j.json_value(F("status"))),
        ("start", j.json_partial_date(F("start_date"), F("start_precision"))),
        ("start_is_approximate", j.json_value(F("start_is_approximate"))),
        ("end", j.json_partial_date(F("end_date"), F("end_precision"))),
        ("one_sided", j.json_value(F("one_sided"))),
    ]


# -- a page of links ----------------------------------------------------------------

LINK_URLS = ("link_api", "link_page", "city_api", "city_page", "source_api")


def _areas():
    """The link's area slugs, by the areas' name (Python's order: code points)."""
    found = (
        m.PartnershipArea.objects.filter(partnership_id=OuterRef("pk"))
        .order_by()
        .values("partnership_id")
        .annotate(
            text=j.json_array_agg(
                j.json_value(F("area__slug")),
                Collate(F("area__name"), "C"),
                Collate(F("area__slug"), "C"),
            )
        )
        .values("text")
    )
    return Coalesce(Subquery(found), j.literal("[]"))


def _source_ids():
    """The ids of the link's sources, in order, comma-separated ('' for none): each
    source's summary is written once per page (source_summaries), not once per link
    citing it (a page of imported links cites a handful of datasets)."""
    found = (
        m.PartnershipSource.objects.filter(partnership_id=OuterRef("pk"))
        .order_by()
        .values("partnership_id")
        .annotate(text=j.json_list_agg(F("source_id"), F("source_id")))
        .values("text")
    )
    return Coalesce(Subquery(found), j.literal(""))


def source_summary(slot):
    """SourceSummarySerializer's record of a source."""
    return j.json_object(
        (
            "url",
            j.json_url(
                j.literal(slot("source_api_prefix")), F("pk"), j.literal(slot("source_api_suffix"))
            ),
        ),
        ("id", j.json_value(F("pk"))),
        ("publisher", j.json_value(F("publisher"))),
        ("title", j.json_value(F("title"))),
        ("source_url", j.json_value(F("url"))),
        ("published_on", j.json_value(F("published_on"))),
    )


def partnership_pieces(slot) -> dict:
    """PartnershipSerializer's record of a link (fast.partnership_records_of) in
    pieces: `head` ends where its sources go, `source_ids` names them, `tail` is the
    rest."""
    terms = link_terms(slot)
    head = j.json_object(
        *terms[:3],
        ("city_a", city_summary(slot, "city_a__")),
        ("city_b", city_summary(slot, "city_b__")),
        *terms[3:],
        ("areas", _areas()),
        close=False,
    )
    tail = j.json_object(
        ("description", j.json_value(F("description"))),
        ("created_at", j.json_datetime(F("created_at"))),
        ("updated_at", j.json_datetime(F("updated_at"))),
    )
    return {
        "head": j.plain_slug(_SLUGS, j.json_text("""{0} || ',"sources":['""", head)),
        "source_ids": _source_ids(),
        # "],": the tail's own opening brace is the comma's place.
        "tail": j.json_text("""'],' || substr({0}, 2)""", tail),
    }


def page_sources(ids):
    """The sources the links `ids` cite (a subquery of their ids)."""
    return m.PartnershipSource.objects.filter(partnership_id__in=ids).values("source_id")


# -- a city's partners --------------------------------------------------------------

PARTNER_URLS = ("link_api", "link_page", "city_api", "city_page")


def partner_pieces(slot, city_id) -> dict:
    """PartnerSerializer's record of a link of the city `city_id` (an expression), in
    three pieces: `head` ends where the partner's country name goes, `country` is the
    partner's country code, `tail` the rest (fast.partner_records_of)."""
    on_a = When(city_a_id=city_id, then=city_summary(slot, "city_b__", close=False))
    partner = Case(on_a, default=city_summary(slot, "city_a__", close=False))
    country = Case(When(city_a_id=city_id, then=F("city_b__country")), default=F("city_a__country"))
    return {
        "head": j.plain_slug(
            _SLUGS, j.json_text("""'{"city":' || {0} || ',"country_name":'""", partner)
        ),
        "country": Coalesce(country, Value("")),
        "tail": j.json_text(
            """'},"partnership":' || {0} || '}'""", j.json_object(*link_terms(slot))
        ),
    }
