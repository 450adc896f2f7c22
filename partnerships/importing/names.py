"""City names in other languages, from Natural Earth (E), keyed by Wikidata ID.

A city's *native* name is its label in its own country's language, where that
language is among those Natural Earth carries (NATIVE_LANGUAGE below, reported by
the import); every other label is the city's name in that language (CityName),
searchable and shown to readers of that language. Hebrew, Persian, Ukrainian and
Urdu come from the 110m table only (243 large cities).
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .reading import NAME_MAX_LENGTH, QID, DataFileError, clean_name, read_text

CSV_LANGUAGES = "ar bn de en es fr el hi hu id it ja ko nl pl pt ru sv tr vi zh".split()
DBF_LANGUAGES = {"NAME_HE": "he", "NAME_FA": "fa", "NAME_UK": "uk", "NAME_UR": "ur"}
RIGHT_TO_LEFT = {"ar", "he", "fa", "ur"}

# A country → the language its places are named in, where one language is the
# country's own and Natural Earth carries it. Countries with several official
# languages of equal standing (Belgium, Switzerland, Canada, India, ...) have none:
# no label is called "the" native name there.
NATIVE_LANGUAGE: dict[str, str] = {
    **dict.fromkeys("SA EG AE IQ JO SY LB LY SD YE OM KW QA BH PS MA DZ TN MR".split(), "ar"),
    "BD": "bn",
    **dict.fromkeys("DE AT LI".split(), "de"),
    **dict.fromkeys("US GB AU NZ IE JM BS BB TT".split(), "en"),
    **dict.fromkeys("ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY".split(), "es"),
    **dict.fromkeys("FR MC".split(), "fr"),
    **dict.fromkeys("GR CY".split(), "el"),
    "HU": "hu",
    "ID": "id",
    **dict.fromkeys("IT SM".split(), "it"),
    "JP": "ja",
    **dict.fromkeys("KR KP".split(), "ko"),
    "NL": "nl",
    "PL": "pl",
    **dict.fromkeys("PT BR AO MZ CV GW ST".split(), "pt"),
    **dict.fromkeys("RU BY".split(), "ru"),
    "SE": "sv",
    "TR": "tr",
    "VN": "vi",
    **dict.fromkeys("CN TW".split(), "zh"),
    "IL": "he",
    "IR": "fa",
    "UA": "uk",
    "PK": "ur",
}


@dataclass(frozen=True)
class Label:
    language: str
    name: str


def _clean(name: str) -> str:
    name = clean_name(name)
    return name if 0 < len(name) <= NAME_MAX_LENGTH else ""


def read_labels(csv_path: Path, dbf_path: Path | None) -> dict[str, dict[str, str]]:
    """QID → {language: label} from both Natural Earth tables (the CSV first)."""
    labels: dict[str, dict[str, str]] = {}
    text = read_text(csv_path).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [f"name_{c}" for c in CSV_LANGUAGES if f"name_{c}" not in (reader.fieldnames or [])]
    if "wd_id" not in (reader.fieldnames or []) or missing:
        raise DataFileError(f"{csv_path} lacks the columns wd_id or {', '.join(missing)}.")
    for row in reader:
        qid = (row.get("wd_id_new") or "").strip() or (row.get("wd_id") or "").strip()
        if not QID.match(qid):
            continue
        names = labels.setdefault(qid, {})
        for language in CSV_LANGUAGES:
            name = _clean(row.get(f"name_{language}", ""))
            if name:
                names.setdefault(language, name)
    if dbf_path is not None and dbf_path.exists():
        from dbfread import DBF

        for record in DBF(str(dbf_path), encoding="utf-8"):
            qid = (record.get("WIKIDATAID") or "").strip()
            if not QID.match(qid):
                continue
            names = labels.setdefault(qid, {})
            for column, language in DBF_LANGUAGES.items():
                name = _clean(record.get(column) or "")
                if name:
                    names.setdefault(language, name)
    return labels


def native_label(country: str, names: dict[str, str]) -> Label | None:
    language = NATIVE_LANGUAGE.get(country)
    if language and names.get(language):
        return Label(language, names[language])
    return None
