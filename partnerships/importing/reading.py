"""Read and check the twin-city files, row by row, keeping line numbers.

Nothing here touches the database. Each reader returns the rows it accepts and
hands every bad row to a `Rejections` collector, which in strict mode stops the
whole import at the first one.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from common.text import strip_unsafe

from .countries import resolve_country

QID = re.compile(r"^Q[1-9][0-9]*$")
SIX_PLACES = Decimal("0.000001")
NAME_MAX_LENGTH = 200

Progress = Callable[[str, int, int], None]


def clean_name(raw: str | None) -> str:
    """A name as the data writes it, without the invisible and control characters a
    stored name may not hold (common/text.py: bidi embeddings and marks, zero-width
    spaces, BOMs; ZWNJ/ZWJ stay), its runs of white space made one space."""
    spaced = " ".join((raw or "").split())  # tabs and newlines are spaces first
    return " ".join(strip_unsafe(spaced).split())


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason} | {self.text}"


class StrictRefusal(Exception):
    """--strict met a bad row: nothing is written."""

    def __init__(self, rejection: Rejection):
        super().__init__(str(rejection))
        self.rejection = rejection


class DataFileError(Exception):
    """A file is missing or is not shaped like the data set (wrong header)."""


@dataclass
class Rejections:
    strict: bool = False
    rows: list[Rejection] = field(default_factory=list)

    def add(self, file: str, line: int, reason: str, text: str) -> None:
        rejection = Rejection(file, line, reason, text)
        if self.strict:
            raise StrictRefusal(rejection)
        self.rows.append(rejection)

    def count(self, file: str) -> int:
        return sum(1 for r in self.rows if r.file == file)


@dataclass(frozen=True)
class CityRow:
    line: int
    qid: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None
    country: str
    region: str
    source_code: str
    continent: str = ""


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"{path} does not exist.") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path} is not UTF-8 text: {exc}.") from None


def _coordinate(raw: str, label: str, limit: int) -> tuple[Decimal | None, str]:
    """(value, problem) for one coordinate; an empty cell is an unknown value, not an error."""
    raw = raw.strip()
    if not raw:
        return None, ""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, f"{label} {raw!r} is not a number"
    if not value.is_finite():
        return None, f"{label} {raw!r} is not a number"
    if not -limit <= value <= limit:
        return None, f"{label} {raw} is out of range [-{limit}, {limit}]"
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP), ""


@dataclass
class CitiesFile:
    accepted: dict[str, CityRow] = field(default_factory=dict)
    # QID → line of a row that was rejected, so links to it can say why they fail
    rejected: dict[str, int] = field(default_factory=dict)


def read_cities(
    path: Path, *, rejections: Rejections, progress: Progress | None = None
) -> CitiesFile:
    """cities.csv: id,name,lng,lat,country,countrycd,continent → accepted rows by QID.

    The csv module keeps every cell a string, so the code "NA" stays Namibia.
    """
    file = path.name
    text = read_text(path)
    total = max(text.count("\n") - 1, 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    needed = ["id", "name", "lng", "lat", "countrycd"]
    missing = [column for column in needed if column not in header]
    if missing:
        raise DataFileError(f"{path} lacks the column(s) {', '.join(missing)}; header: {header}")
    at = {column: header.index(column) for column in needed}
    continent_at = header.index("continent") if "continent" in header else None
    result = CitiesFile()
    accepted = result.accepted
    first_line: dict[str, int] = {}

    def reject(qid: str, line: int, reason: str, raw: str) -> None:
        rejections.add(file, line, reason, raw)
        if QID.match(qid) and qid not in first_line:
            result.rejected.setdefault(qid, line)

    for count, row in enumerate(reader, start=1):
        line = reader.line_num
        if progress and count % 500 == 0:
            progress(f"reading {file}", count, total)
        if not any(cell.strip() for cell in row):
            continue
        raw = ",".join(row)
        if len(row) != len(header):
            reject("", line, f"has {len(row)} fields, expected {len(header)}", raw)
            continue
        qid = row[at["id"]].strip()
        name = clean_name(row[at["name"]])
        code = row[at["countrycd"]].strip()
        if not QID.match(qid):
            reject(qid, line, f"unknown ID {qid!r}: not a Wikidata QID", raw)
            continue
        if qid in first_line:
            reject(qid, line, f"{qid} repeats line {first_line[qid]}", raw)
            continue
        if not name:
            reject(qid, line, f"{qid} has no name", raw)
            continue
        if len(name) > NAME_MAX_LENGTH:
            reject(qid, line, f"{qid} name longer than {NAME_MAX_LENGTH}", raw)
            continue
        latitude, problem = _coordinate(row[at["lat"]], "latitude", 90)
        if problem:
            reject(qid, line, f"{qid} {problem}", raw)
            continue
        longitude, problem = _coordinate(row[at["lng"]], "longitude", 180)
        if problem:
            reject(qid, line, f"{qid} {problem}", raw)
            continue
        decision = resolve_country(code)
        if decision is None:
            reject(qid, line, f"{qid} country code {code!r} is not ISO 3166-1", raw)
            continue
        first_line[qid] = line
        accepted[qid] = CityRow(
            line=line,
            qid=qid,
            name=name,
            latitude=latitude,
            longitude=longitude,
            country=decision.stored_as,
            region=decision.region,
            source_code=code,
            continent=row[continent_at].strip() if continent_at is not None else "",
        )
    if progress:
        progress(f"reading {file}", total, total)
    return result


def _tab_rows(text: str):
    for line, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            yield line, raw, raw.split("\t")


def _pair_problem(cells: list[str]) -> str:
    if len(cells) != 2:
        return f"has {len(cells)} fields, expected 2 (tab-separated QIDs)"
    for qid in cells:
        if not QID.match(qid.strip()):
            return f"unknown ID {qid.strip()!r}: not a Wikidata QID"
    if cells[0].strip() == cells[1].strip():
        return f"links {cells[0].strip()} to itself"
    return ""


def read_links(
    path: Path,
    *,
    known: Callable[[str], str],
    rejections: Rejections,
    progress: Progress | None = None,
) -> dict[tuple[str, str], int]:
    """links.tsv: source<TAB>target with a header; order in a pair means nothing.

    `known(qid)` returns "" for a city the import knows, else why it does not.
    Returns {sorted QID pair: line}.
    """
    file = path.name
    text = read_text(path)
    rows = _tab_rows(text)
    header = next(rows, None)
    if header is None or [c.strip() for c in header[2]] != ["source", "target"]:
        raise DataFileError(f"{path} must start with the header 'source<TAB>target'.")
    total = max(text.count("\n") - 1, 1)
    pairs: dict[tuple[str, str], int] = {}
    for count, (line, raw, cells) in enumerate(rows, start=1):
        if progress and count % 1000 == 0:
            progress(f"reading {file}", count, total)
        problem = _pair_problem(cells)
        if problem:
            rejections.add(file, line, problem, raw)
            continue
        a, b = (c.strip() for c in cells)
        unknown = known(a) or known(b)
        if unknown:
            rejections.add(file, line, unknown, raw)
            continue
        pair = (a, b) if a < b else (b, a)
        if pair in pairs:
            rejections.add(file, line, f"repeats the pair on line {pairs[pair]}", raw)
            continue
        pairs[pair] = line
    if progress:
        progress(f"reading {file}", total, total)
    return pairs


def read_names(path: Path, *, rejections: Rejections) -> dict[str, str]:
    """names.tsv: qid<TAB>label, no header."""
    file = path.name
    labels: dict[str, str] = {}
    for line, raw, cells in _tab_rows(read_text(path)):
        if len(cells) != 2:
            rejections.add(file, line, f"has {len(cells)} fields, expected 2", raw)
            continue
        qid, label = cells[0].strip(), clean_name(cells[1])
        if not QID.match(qid):
            rejections.add(file, line, f"unknown ID {qid!r}: not a Wikidata QID", raw)
            continue
        if not label:
            rejections.add(file, line, f"{qid} has no name", raw)
            continue
        labels.setdefault(qid, label)
    return labels


@dataclass
class Statements:
    """What relations.tsv says, split by whether the import can place both cities."""

    # (stating QID, stated QID) → first line, for pairs of two known cities
    directed: dict[tuple[str, str], int] = field(default_factory=dict)
    # QID of a place outside the city data → (lines of the statements naming it)
    outside: dict[str, list[int]] = field(default_factory=dict)
    # (stating, stated) → first line, for statements naming such a place
    outside_pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    outside_rows: int = 0
    repeated: int = 0
    rows: int = 0


def read_relations(
    path: Path,
    *,
    labels: dict[str, str],
    known: Callable[[str], str],
    rejections: Rejections,
    progress: Progress | None = None,
) -> Statements:
    """relations.tsv: stating<TAB>stated, one row per Wikidata P190 statement, no header."""
    file = path.name
    text = read_text(path)
    total = max(text.count("\n"), 1)
    statements = Statements()
    for count, (line, raw, cells) in enumerate(_tab_rows(text), start=1):
        if progress and count % 2000 == 0:
            progress(f"reading {file}", count, total)
        statements.rows += 1
        problem = _pair_problem(cells)
        if problem:
            rejections.add(file, line, problem, raw)
            continue
        a, b = (c.strip() for c in cells)
        unlabelled = [qid for qid in (a, b) if qid not in labels]
        if unlabelled:
            rejections.add(file, line, f"unknown ID {unlabelled[0]}: not in names.tsv", raw)
            continue
        reasons = {qid: known(qid) for qid in (a, b)}
        rejected_city = next((r for r in reasons.values() if "rejected" in r), "")
        if rejected_city:
            rejections.add(file, line, rejected_city, raw)
            continue
        outside = [qid for qid, reason in reasons.items() if reason]
        if outside:
            statements.outside_rows += 1
            for qid in outside:
                statements.outside.setdefault(qid, []).append(line)
            statements.outside_pairs.setdefault((a, b), line)
            continue
        if (a, b) in statements.directed:
            statements.repeated += 1
            continue
        statements.directed[(a, b)] = line
    if progress:
        progress(f"reading {file}", total, total)
    return statements
