"""Telling places apart and together: name keys, distances, free-text countries.

Each rule here is one function with its own test (tests/test_import_place_rules.py):

- `name_key`: a name folded for comparison (case, diacritics and transliteration,
  punctuation, "St." / "Saint"), so "Sankt Pölten" and "Sankt Polten" compare equal
  and "Koln" and "Köln" do too; one letter of difference stays a difference.
- `split_name`: "Stari Grad (Sarajevo)" is the place Stari Grad, qualified by
  Sarajevo; "Bayside, New South Wales" is Bayside in New South Wales.
- `resolve_country_text`: the 238 country strings of the Wikipedia lists and the
  Czech country names → an ISO 3166-1 code and, for sub-national strings, a region.
- `distance_km`: great-circle distance.
"""

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django_countries import countries
from unidecode import unidecode

from .countries import resolve_country

# Same name, same country and closer than this: one town.
SAME_PLACE_KM = 25.0
# Same name and country, further than SAME_PLACE_KM but closer than this: the
# evidence is not enough either way; kept apart and listed as a possible duplicate.
UNSURE_KM = 75.0
# A place whose coordinates are this close to a namesake in a country on another
# continent was geocoded to that namesake ("Florence, United States" at Florence,
# Italy): its coordinates are not used.
WRONG_GEOCODE_KM = 5.0

_PAREN = re.compile(r"^(?P<name>.*?)\s*\((?P<qualifier>[^()]*)\)\s*$")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_PREFIXES = {"st": "saint", "ste": "sainte", "s": "san", "sv": "sveti", "mt": "mount"}


def name_key(name: str) -> str:
    """Fold a name for comparison: 'St. Pölten' → 'saint polten'."""
    folded = unidecode(name or "").lower().replace("&", " and ")
    words = _NON_WORD.sub(" ", folded).split()
    if words and words[0] in _PREFIXES:
        words[0] = _PREFIXES[words[0]]
    return " ".join(words)


@dataclass(frozen=True)
class SplitName:
    name: str
    qualifier: str  # from "(…)" or ", …": a parent municipality or a region


def split_name(raw: str) -> SplitName:
    """'Stari Grad (Sarajevo)' → Stari Grad + Sarajevo; 'Bayside, New South Wales' likewise."""
    text = " ".join((raw or "").split())
    match = _PAREN.match(text)
    if match and match.group("name"):
        return SplitName(match.group("name").strip(" ,"), match.group("qualifier").strip())
    if ", " in text:
        name, _, qualifier = text.partition(", ")
        if name:
            return SplitName(name.strip(), qualifier.strip())
    return SplitName(text, "")


def distance_km(a: tuple, b: tuple) -> float:
    lat1, lon1 = (math.radians(float(v)) for v in a)
    lat2, lon2 = (math.radians(float(v)) for v in b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class CountryText:
    code: str
    region: str


# Country strings of the Wikipedia lists that are not a country's English name.
# A value "" for the code means: decide from the coordinates (see below).
WIKIPEDIA_COUNTRIES: dict[str, CountryText] = {
    "England": CountryText("GB", "England"),
    "Scotland": CountryText("GB", "Scotland"),
    "Wales": CountryText("GB", "Wales"),
    "Northern Ireland": CountryText("GB", "Northern Ireland"),
    "United Kingdom": CountryText("GB", ""),
    "Republic of Ireland": CountryText("IE", ""),
    "Ireland": CountryText("IE", ""),
    "Georgia (country)": CountryText("GE", ""),
    "Northern Cyprus": CountryText("CY", "Northern Cyprus"),
    "Kosovo": CountryText("XK", ""),
    "Palestine": CountryText("PS", ""),
    "West Bank": CountryText("PS", "West Bank"),
    "Taiwan": CountryText("TW", ""),
    "East Timor": CountryText("TL", ""),
    "Timor-Leste": CountryText("TL", ""),
    "Ivory Coast": CountryText("CI", ""),
    "Cape Verde": CountryText("CV", ""),
    "Micronesia": CountryText("FM", ""),
    "Federated States of Micronesia": CountryText("FM", ""),
    "Congo": CountryText("CG", ""),
    "Democratic Republic of the Congo": CountryText("CD", ""),
    "North Korea": CountryText("KP", ""),
    "South Korea": CountryText("KR", ""),
    "Russia": CountryText("RU", ""),
    "Vietnam": CountryText("VN", ""),
    "Laos": CountryText("LA", ""),
    "Syria": CountryText("SY", ""),
    "Iran": CountryText("IR", ""),
    "Moldova": CountryText("MD", ""),
    "Moldavia": CountryText("MD", ""),
    "Czech Republic": CountryText("CZ", ""),
    "Turkey": CountryText("TR", ""),
    "Brunei": CountryText("BN", ""),
    "Eswatini": CountryText("SZ", ""),
    "Bahamas": CountryText("BS", ""),
    "Gambia": CountryText("GM", ""),
    "Bolivia": CountryText("BO", ""),
    "Venezuela": CountryText("VE", ""),
    "Tanzania": CountryText("TZ", ""),
    "United States": CountryText("US", ""),
    "Netherlands": CountryText("NL", ""),
    "Philippines": CountryText("PH", ""),
    "Macedonia": CountryText("MK", ""),
    "North Macedonia": CountryText("MK", ""),
    "São Tomé and Príncipe": CountryText("ST", ""),
    "Falkland Islands": CountryText("FK", ""),
    "Cook Islands": CountryText("CK", ""),
    "Northern Mariana Islands": CountryText("MP", ""),
    "Marshall Islands": CountryText("MH", ""),
    "Solomon Islands": CountryText("SB", ""),
    "Faroe Islands": CountryText("FO", ""),
    "Réunion, France": CountryText("RE", ""),
    "Martinique, France": CountryText("MQ", ""),
    "Guadeloupe, France": CountryText("GP", ""),
    "French Guiana, France": CountryText("GF", ""),
    "Åland Islands, Finland": CountryText("AX", ""),
    # Misspellings and stray words, each seen in the data
    "Grece": CountryText("GR", ""),
    "Kazakhstah": CountryText("KZ", ""),
    "Madagaskar": CountryText("MG", ""),
    "Surinam": CountryText("SR", ""),
    "Island": CountryText("IS", ""),  # Czech and German for Iceland
    "Bosnia and Hercegovina": CountryText("BA", ""),
    "in Italy": CountryText("IT", ""),
    # "Georgia" alone is the country in some lists and the US state in others.
    "Georgia": CountryText("", "Georgia"),
}

# The Czech data's country names (partnerskamesta.cz), every one that occurs.
CZECH_COUNTRIES: dict[str, str] = {
    "Česká republika": "CZ",
    "Německo": "DE",
    "Polsko": "PL",
    "Slovensko": "SK",
    "Itálie": "IT",
    "Rakousko": "AT",
    "Francie": "FR",
    "Švýcarsko": "CH",
    "Nizozemsko": "NL",
    "Maďarsko": "HU",
    "Spojené státy americké": "US",
    "Ukrajina": "UA",
    "Rusko": "RU",
    "Chorvatsko": "HR",
    "Velká Británie": "GB",
    "Litva": "LT",
    "Belgie": "BE",
    "Slovinsko": "SI",
    "Dánsko": "DK",
    "Srbsko": "RS",
    "Japonsko": "JP",
    "Švédsko": "SE",
    "Řecko": "GR",
    "Rumunsko": "RO",
    "Korea": "KR",  # the two rows are South Korean towns (checked by coordinates)
    "Filipíny": "PH",
    "Estonsko": "EE",
    "Bělorusko": "BY",
    "Bulharsko": "BG",
    "Španělsko": "ES",
    "Černá Hora": "ME",
    "Turecko": "TR",
    "Tchaj-wan": "TW",
    "Nikaragua": "NI",
    "Lotyšsko": "LV",
    "Kazachstán": "KZ",
    "Kamerun": "CM",
    "Irsko": "IE",
    "Finsko": "FI",
    "Bosna a Hercegovina": "BA",
}


@functools.lru_cache(maxsize=4096)
def _country_code(name: str) -> str:
    """An English country name → its ISO code through django-countries, or ''."""
    name = name.strip()
    if name in WIKIPEDIA_COUNTRIES and WIKIPEDIA_COUNTRIES[name].code:
        return WIKIPEDIA_COUNTRIES[name].code
    code = countries.by_name(name) or ""
    if code:
        decision = resolve_country(code)
        return decision.stored_as if decision else ""
    return ""


@functools.lru_cache(maxsize=8192)
def resolve_country_text(text: str, *, longitude: Decimal | None = None) -> CountryText | None:
    """A Wikipedia list's country string → ISO code + region, or None when unknown."""
    text = " ".join((text or "").split())
    if not text:
        return None
    known = WIKIPEDIA_COUNTRIES.get(text)
    if known is not None:
        if known.code:
            return known
        # "Georgia": the Caucasus lies east of 0°, the US state west of it.
        if longitude is None:
            return None
        return CountryText("GE", "") if longitude > 0 else CountryText("US", "Georgia")
    code = _country_code(text)
    if code:
        return CountryText(code, "")
    if ", " in text:
        region, _, country = text.rpartition(", ")
        code = _country_code(country)
        if code:
            return CountryText(code, region.strip())
    return None
