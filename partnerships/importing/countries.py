"""Country codes of the wikidata-cities data, and what each one becomes here.

The data's `countrycd` column is ISO 3166-1 alpha-2 except for a few places
that ISO does not list. Each such code gets an explicit decision below, which
the import report prints, rather than a silent drop or a silent guess.
"""

from dataclasses import dataclass

from django_countries import countries


@dataclass(frozen=True)
class CountryDecision:
    stored_as: str
    region: str
    why: str


DECISIONS: dict[str, CountryDecision] = {
    "CN-TW": CountryDecision(
        "TW",
        "",
        "Taiwan: the data uses the ISO 3166-2 subdivision code CN-TW; stored as TW, "
        "Taiwan's own ISO 3166-1 code, like every other data service keyed by ISO 3166-1.",
    ),
    "XK": CountryDecision(
        "XK",
        "",
        "Kosovo: not in ISO 3166-1; kept as XK, the user-assigned code the EU, the IMF "
        "and Wikidata use (settings.COUNTRIES_OVERRIDE names it), not filed under another "
        "country.",
    ),
    "XC": CountryDecision(
        "CY",
        "Northern Cyprus",
        "Northern Cyprus: not in ISO 3166-1, which files the whole island under CY; stored "
        "as CY with region 'Northern Cyprus' (set only when the city's region is empty).",
    ),
    "XS": CountryDecision(
        "SO",
        "Somaliland",
        "Somaliland: not in ISO 3166-1, which files it under SO; stored as SO with region "
        "'Somaliland' (set only when the city's region is empty).",
    ),
    "EH": CountryDecision(
        "EH",
        "",
        "Western Sahara: EH is an ISO 3166-1 code; kept as it is.",
    ),
    "NA": CountryDecision(
        "NA",
        "",
        "Namibia: the code NA is read as Namibia, never as a missing value.",
    ),
}


def resolve_country(code: str) -> CountryDecision | None:
    """What a data code becomes, or None when it is no country this service knows."""
    if code in DECISIONS:
        return DECISIONS[code]
    if len(code) == 2 and code.isalpha() and code.isupper() and code in countries:
        return CountryDecision(code, "", "")
    return None
