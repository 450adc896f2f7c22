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

from .applying import ensure_sources, write_cities, write_links
from .datasets import DataFiles, default_data_dir
from .planning import (
    Plan,
    collect_links,
    load_dataset_sources,
    load_stored_cities,
    plan_cities,
    plan_links,
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

__all__ = [
    "DataFileError",
    "DataFiles",
    "ImportOutcome",
    "StrictRefusal",
    "default_data_dir",
    "run_import",
]

Progress = Callable[[str, int, int], None]


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
        rejected_links = self.rejected_in(f.links) + self.rejected_in(f.relations)
        lines = [
            f"cities: {len(p.new_cities)} {verb}created, {len(p.updated_cities)} {verb}updated, "
            f"{p.unchanged_cities} unchanged, {self.rejected_in(f.cities)} rejected",
            f"links: {len(p.new_links)} {verb}created, {len(p.updated_links)} {verb}updated, "
            f"{p.unchanged_links} unchanged, {rejected_links} rejected, "
            f"{len(p.one_sided_links)} one-sided",
        ]
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
    plan.source_pks = load_dataset_sources()
    plan_cities(plan, outcome.cities.accepted, stored)
    found = collect_links(
        links=links,
        statements=outcome.statements,
        links_file=files.links.name,
        relations_file=files.relations.name,
    )
    plan_links(plan, found)


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
    with transaction.atomic():
        read_and_plan(outcome, progress)
        if not dry_run and outcome.changed:
            ensure_sources(outcome.plan)
            write_cities(outcome.plan, progress)
            write_links(outcome.plan, progress)
            # Bulk writes send no signals: say that the data changed (every cached
            # answer is dropped), once the writes are committed.
            from common.data_version import bump_data_version

            transaction.on_commit(bump_data_version)
    outcome.seconds = time.perf_counter() - started
    return outcome
