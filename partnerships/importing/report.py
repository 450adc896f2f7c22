"""The import report: decisions, summary, and every row that was not imported, by line."""

import datetime as dt
from collections import Counter
from pathlib import Path

from django.utils import timezone

from . import ImportOutcome
from .countries import DECISIONS
from .names import NATIVE_LANGUAGE


def native_language_lines() -> list[str]:
    by_language: dict[str, list[str]] = {}
    for country, language in sorted(NATIVE_LANGUAGE.items()):
        by_language.setdefault(language, []).append(country)
    return [f"{language}: {' '.join(codes)}" for language, codes in sorted(by_language.items())]


SCOPE = """\
What counts as a link
  Every pair in links.tsv (an undirected list of Wikidata P190 "twinned administrative
  body" links between cities), plus every pair of relations.tsv (directed P190 statements,
  2016) whose two places are both known, plus every pair of the Wikipedia lists
  (twin_cities.csv) and of the Czech partnerships (vztahy.tsv). Both directions of a
  statement, and the same pair in several sets, make one link, which cites every data
  set that states it. No data set says whether a link is between twin, sister or
  partner cities, nor whether it is still active: new links are stored as kind
  "unstated" (twinned, kind not stated) and status "unknown" (not recorded).
Places
  The Wikidata cities and the cities already stored are matched by Wikidata ID. A town
  the Wikipedia lists or the Czech data name by text is the same place as a known one
  when the country is the same, the folded name is the same (case, accents and
  transliteration, punctuation, St./Saint) and the coordinates lie within 25 km; a
  namesake 25-75 km away, or across a border at the same point, is kept apart and listed
  as a possible duplicate; coordinates that lie at a namesake on another continent are a
  wrong geocode and are not used. Anything else is a new place. A 2016 statement's
  place that the cities data lacks gets its Wikidata ID when a new place has its name
  and one of its partners.
Dates
  The Czech data's year is the year a link began: stored at year precision where the
  link has no start yet. 0 means unknown; years outside 1900-2013 are rejected (listed
  below) and the link is imported without a start.
One-sided links
  Computed from relations.tsv where both QIDs are known cities: a pair stated in one
  direction only is flagged one_sided; stated in both directions, it is not. A pair that
  only links.tsv lists cannot be told either way (that file has no direction) and keeps
  its stored flag (false when new).
Places outside the city data
  relations.tsv statements naming a place that is in neither cities.csv nor the database
  are skipped (listed at the end): without a country or coordinates they cannot be
  stored as cities. They are not errors and do not stop --strict.
Existing records
  A city with the same Wikidata ID is updated, never duplicated: name, country and
  coordinates follow the data (an empty cell never erases a stored value); region is only
  filled when empty; slug, native name, description and population are never touched.
  A link between two stored cities merges into their existing link (the twin one if
  there are several kinds). Nothing is deleted.
"""


def default_report_path(base_dir: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(base_dir) / "tmp" / "reports" / f"import_twin_cities-{stamp}.txt"


def _city_name(outcome: ImportOutcome, key: str) -> str:
    row = outcome.cities.accepted.get(key)
    if row:
        return row.name
    return outcome.plan.place_labels.get(key) or outcome.labels.get(key, "?")


def render(outcome: ImportOutcome, *, refused: str = "") -> str:
    f, plan = outcome.files, outcome.plan
    mode = "refused (--strict)" if refused else "dry run" if outcome.dry_run else "written"
    out = [
        "Twin-city import report",
        f"run: {dt.datetime.now().astimezone().isoformat(timespec='seconds')} ({mode})",
        "files:",
        *(f"  {p.name}: {p}" for p in f.all),
        "",
    ]
    if refused:
        out += [
            "--strict: the first bad row refused the whole import; nothing was written.",
            f"  {refused}",
            "",
        ]
        return "\n".join(out) + "\n"

    codes = Counter(row.source_code for row in outcome.cities.accepted.values())
    out.append("Country codes that need a decision")
    for code, decision in DECISIONS.items():
        out.append(
            f"  {code} ({codes.get(code, 0)} cities) -> {decision.stored_as}: {decision.why}"
        )
    out += ["", SCOPE, "Summary", *(f"  {line}" for line in outcome.summary_lines()), ""]

    out.append(f"Rejected rows ({len(outcome.rejected)}): file:line: reason | row")
    out += [f"  {rejection}" for rejection in outcome.rejected]
    out.append("")

    out.append(f"Updated cities ({len(plan.updated_cities)})")
    for update in plan.updated_cities:
        changes = "; ".join(f"{k} {old!s} -> {new!s}" for k, (old, new) in update.changes.items())
        where = f" ({f.cities.name}:{update.where})" if update.where else ""
        out.append(f"  {update.label}{where}: {changes}")
    out.append("")

    out.append(f"Updated links ({len(plan.updated_links)})")
    for link in plan.updated_links:
        what = []
        if link.one_sided_change:
            what.append("one_sided {} -> {}".format(*link.one_sided_change))
        if link.missing_sources:
            what.append("cites " + ", ".join(sorted(link.missing_sources)))
        if link.start_change:
            what.append(f"start {link.start_change}")
        a, b = link.qids
        out.append(
            f"  #{link.existing_pk} {a} {_city_name(outcome, a)} - {b} "
            f"{_city_name(outcome, b)} ({link.where}): {'; '.join(what)}"
        )
    out.append("")

    out.append(f"One-sided links ({len(plan.one_sided_links)}): stated by one city only")
    for link in plan.one_sided_links:
        other = link.qids[1] if link.stated_by == link.qids[0] else link.qids[0]
        out.append(
            f"  {link.stated_by} {_city_name(outcome, link.stated_by)} states "
            f"{other} {_city_name(outcome, other)}; not the reverse ({link.where})"
        )
    out.append("")

    if plan.possible_duplicates:
        out.append(
            f"Possible duplicates, listed for staff in the admin ({len(plan.possible_duplicates)})"
        )
        out += [
            f"  {_city_name(outcome, a)} / {_city_name(outcome, b)}: {why}"
            for a, b, why in plan.possible_duplicates
        ]
        out.append("")
    if plan.folded:
        out.append(
            f"Rows naming a pair an earlier row of the same set named ({len(plan.folded)}): "
            "one link"
        )
        out += [f"  {line}" for line in plan.folded]
        out.append("")
    if plan.matching is not None and plan.matching.wrong_geocodes:
        out.append(f"Wrong geocodes, coordinates not used ({len(plan.matching.wrong_geocodes)})")
        out += [f"  {line}" for line in plan.matching.wrong_geocodes]
        out.append("")
    if plan.names.by_language:
        out.append("Native names: a city's label in its country's language")
        out += [f"  {line}" for line in native_language_lines()]
        out.append(
            "  names in other languages by language: "
            + ", ".join(f"{k} {v}" for k, v in sorted(plan.names.by_language.items()))
        )
        out.append("")
    if plan.new_cities:
        out.append(f"New places ({len(plan.new_cities)}): slug, name, where first named")
        out += [
            f"  /{c.slug}/ {c.name}{', ' + c.region if c.region else ''} ({c.country}) [{c.where}]"
            for c in plan.new_cities
        ]
        out.append("")

    outside = outcome.statements.outside
    out.append(
        f"Places outside the city data, skipped ({len(outside)}): "
        f"QID label: {f.relations.name} lines"
    )
    for qid, lines in sorted(outside.items(), key=lambda item: item[1][0]):
        shown = ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")
        out.append(f"  {qid} {outcome.labels.get(qid, '?')}: {shown}")
    return "\n".join(out) + "\n"


def write_report(outcome: ImportOutcome, path: Path, *, refused: str = "") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(outcome, refused=refused), encoding="utf-8")
    return path
