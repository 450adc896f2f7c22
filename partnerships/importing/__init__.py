"""Import the world's twin-city links from the Wikidata-derived data sets.

    outcome = run_import(files=DataFiles.under(path), dry_run=False, strict=False)

reads the files, plans every change against what the database holds and, unless
it is a dry run, writes the plan in one transaction: an error or an interruption
anywhere leaves the database as it was. See README "Importing the world's twin
cities" for what counts as a link and how one-sided links are told apart.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

from .applying import analyze_tables, ensure_sources, write_cities, write_links
from .datasets import (
    CZECH_PARTNERSHIPS,
    L3VIATHAN_WIKIDATA,
    WIKIDATA_CITIES,
    WIKIPEDIA_LISTS,
    DataFiles,
    default_data_dir,
)
from .locking import ImportBusy, import_transaction
from .names import read_labels
from .planning import (
    Plan,
    add_statements,
    allocate_slugs,
    build_gazetteer,
    collect_links,
    find_relabels,
    identify_by_partner,
    load_dataset_sources,
    load_stored_cities,
    place_towns,
    plan_cities,
    plan_links,
    plan_names,
    plan_possible_duplicates,
)
from .reading import (
    CitiesFile,
    DataFileError,
    Rejection,
    Rejections,
    Statements,
    StrictRefusal,
    read_cities,
    read_links,
    read_names,
    read_relations,
)
from .towns import read_czech, read_wikipedia

__all__ = [
    "DataFileError",
    "DataFiles",
    "ImportBusy",
    "ImportOutcome",
    "StrictRefusal",
    "default_data_dir",
    "run_import",
]

Progress = Callable[[str, int, int], None]

# Sent inside the import's transaction after its writes (so a listener's rows commit or
# roll back with them), with outcome= the ImportOutcome: the change log (changes app)
# records the run as one entry. partnerships knows nothing of who listens.
import_written = Signal()


@dataclass
class ImportOutcome:
    files: DataFiles
    dry_run: bool
    plan: Plan = field(default_factory=Plan)
    cities: CitiesFile = field(default_factory=CitiesFile)
    statements: Statements = field(default_factory=Statements)
    labels: dict[str, str] = field(default_factory=dict)
    rejections: Rejections = field(default_factory=Rejections)
    seconds: float = 0.0

    @property
    def rejected(self) -> list[Rejection]:
        return self.rejections.rows

    def rejected_in(self, path) -> int:
        return self.rejections.count(path.name)

    @property
    def changed(self) -> bool:
        return self.plan.changes_anything

    def summary_lines(self) -> list[str]:
        p, f = self.plan, self.files
        verb = "would be " if self.dry_run else ""
        rejected_links = sum(
            self.rejected_in(path) for path in f.all if path not in (f.cities, f.names)
        )
        lines = [
            f"cities: {len(p.new_cities)} {verb}created, {len(p.updated_cities)} {verb}updated, "
            f"{p.unchanged_cities} unchanged, {self.rejected_in(f.cities)} rejected",
            f"links: {len(p.new_links)} {verb}created, {len(p.updated_links)} {verb}updated, "
            f"{p.unchanged_links} unchanged, {rejected_links} rejected, "
            f"{len(p.one_sided_links)} one-sided",
        ]
        if p.links_by_dataset:
            lines.append(
                "links stated by each data set: "
                + ", ".join(f"{k} {v}" for k, v in sorted(p.links_by_dataset.items()))
            )
        if p.places_by_dataset:
            lines.append(
                "new places by data set: "
                + ", ".join(f"{k} {v}" for k, v in sorted(p.places_by_dataset.items()))
            )
        m = p.matching
        if m is not None and (f.wikipedia or f.czech):
            lines.append(
                f"places matched: {m.by_name_and_place} mentions by name and place, "
                f"{m.by_id} by a name or id already placed, {p.identified_by_partner} Wikidata "
                f"IDs by a shared partner; {len(m.wrong_geocodes)} wrong geocodes not used"
            )
        if p.folded:
            lines.append(
                f"rows naming a pair an earlier row of the same set named: {len(p.folded)} "
                "(one link each)"
            )
        if p.possible_duplicates:
            lines.append(
                f"possible duplicates {verb}listed for staff: {len(p.possible_duplicates)}"
            )
        dated = sum(1 for link in p.new_links if link.year) + sum(
            1 for link in p.updated_links if link.start_change
        )
        if dated:
            lines.append(f"start years {verb}set: {dated}")
        if p.names.native or p.names.other:
            lines.append(
                f"names: {len(p.names.native)} native names, {len(p.names.other)} names in "
                "other languages"
            )
        if p.relabel:
            lines.append(
                f"relabelled: {len(p.relabel)} links an earlier import called twin/active "
                "(no data set says so)"
            )
        if p.redirects:
            lines.append(f"slugs transliterated: {len(p.redirects)} (old slugs redirect)")
        if self.rejected_in(f.names):
            lines.append(f"names: {self.rejected_in(f.names)} rejected")
        outside = self.statements.outside
        if outside:
            lines.append(
                f"skipped: {self.statements.outside_rows} statement(s) in {f.relations.name} "
                f"naming "
                f"{len(outside)} place(s) that are not in {f.cities.name} nor the database"
            )
        if not self.changed:
            lines.append(
                "nothing to change: the database already holds this data"
                if self.dry_run
                else "nothing changed: the database already held this data"
            )
        elif self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def read_and_plan(outcome: ImportOutcome, progress: Progress | None) -> None:
    files, rejections = outcome.files, outcome.rejections
    stored = load_stored_cities()
    outcome.cities = read_cities(files.cities, rejections=rejections, progress=progress)

    def known(qid: str) -> str:
        if qid in outcome.cities.accepted or qid in stored.by_qid:
            return ""
        if qid in outcome.cities.rejected:
            return (
                f"city {qid} was rejected ({files.cities.name} line {outcome.cities.rejected[qid]})"
            )
        return f"unknown ID {qid}: not in {files.cities.name} nor the database"

    links = read_links(files.links, known=known, rejections=rejections, progress=progress)
    outcome.labels = read_names(files.names, rejections=rejections)
    outcome.statements = read_relations(
        files.relations,
        labels=outcome.labels,
        known=known,
        rejections=rejections,
        progress=progress,
    )
    plan = outcome.plan
    load_dataset_sources(plan)
    plan.datasets_used = {WIKIDATA_CITIES.key, L3VIATHAN_WIKIDATA.key}
    if files.wikipedia:
        plan.datasets_used.add(WIKIPEDIA_LISTS.key)
    if files.czech:
        plan.datasets_used.add(CZECH_PARTNERSHIPS.key)
    rows = outcome.cities.accepted
    gazetteer = build_gazetteer(rows, stored)
    found = collect_links(
        links=links,
        statements=outcome.statements,
        links_file=files.links.name,
        relations_file=files.relations.name,
    )
    # Stored cities are keyed by QID when they have one, so the QID pairs above are
    # place keys already.
    towns = []
    for dataset, path, reader in (
        (WIKIPEDIA_LISTS.key, files.wikipedia, read_wikipedia),
        (CZECH_PARTNERSHIPS.key, files.czech, read_czech),
    ):
        if path is not None:
            towns.append((dataset, path, reader(path, dataset=dataset, rejections=rejections)))
    # Two passes, so the answer does not depend on the order of the rows: the first
    # makes every place exist, the second matches each mention against all of them.
    for _, _, pairs in towns:
        for pair in pairs:
            gazetteer.place(pair.a)
            gazetteer.place(pair.b)
    gazetteer.settle()
    for dataset, path, pairs in towns:
        place_towns(
            plan, gazetteer, found, pairs, dataset=dataset, file=path.name, rejections=rejections
        )
    gazetteer.drop_unused({key for pair in found for key in pair})
    plan.matching = gazetteer.decisions
    # Each Wikidata ID found this way can make another statement's place placeable:
    # repeat until nothing new is found, so a second run finds nothing more.
    identified: dict[str, str] = {}
    while True:
        more = identify_by_partner(
            plan, gazetteer, found, outcome.statements, outcome.labels, taken=identified
        )
        if not more:
            break
        identified.update(more)
        directed = {
            pair: line
            for pair, line in outcome.statements.outside_pairs.items()
            if any(q in more for q in pair)
            and all(q in identified or q not in outcome.statements.outside for q in pair)
        }
        add_statements(found, directed, lambda q: identified.get(q, q), files.relations.name)
    plan.identified_by_partner = len(identified)
    for qid in identified:
        outcome.statements.outside.pop(qid, None)
    outcome.statements.outside_rows = sum(
        1
        for pair in outcome.statements.outside_pairs
        if any(q in outcome.statements.outside for q in pair)
    )
    plan_cities(plan, gazetteer, rows, stored)
    allocate_slugs(plan, stored, found)
    labels = read_labels(files.labels, files.labels_large) if files.labels else {}
    plan_names(plan, gazetteer, labels, stored)
    find_relabels(plan)
    plan_links(plan, found)
    plan_possible_duplicates(plan, gazetteer)


def run_import(
    *,
    files: DataFiles,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Read, plan and (unless dry_run) write. Raises StrictRefusal, DataFileError."""
    started = time.perf_counter()
    outcome = ImportOutcome(files=files, dry_run=dry_run, rejections=Rejections(strict=strict))
    # One transaction around reading the database and writing it, so the plan is
    # made against the same state it is applied to and any failure undoes it all.
    with import_transaction():
        read_and_plan(outcome, progress)
        if not dry_run and outcome.changed:
            ensure_sources(outcome.plan)
            write_cities(outcome.plan, progress)
            write_links(outcome.plan, progress)
            outcome.seconds = time.perf_counter() - started
            import_written.send(sender=ImportOutcome, outcome=outcome)
            # Bulk writes send no signals: say that the data changed (every cached
            # answer is dropped), once the writes are committed.
            from common.data_version import bump_data_version

            transaction.on_commit(bump_data_version)
    if not dry_run and outcome.changed:
        analyze_tables()
    outcome.seconds = time.perf_counter() - started
    return outcome
