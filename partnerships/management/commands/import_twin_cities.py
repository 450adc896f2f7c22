"""manage.py import_twin_cities: load the world's twin-city links from Wikidata data.

    python manage.py import_twin_cities [--data-dir DIR] [--dry-run] [--strict] [--report PATH]

Prints a progress bar on a terminal and a plain summary (created, updated,
unchanged, rejected, one-sided); writes a report with every rejected row and
its line number, and the decisions taken on the data (country codes, scope).
"""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships.importing import (
    DataFileError,
    DataFiles,
    ImportBusy,
    ImportOutcome,
    StrictRefusal,
    default_data_dir,
    run_import,
)
from partnerships.importing.report import default_report_path, write_report


class ProgressBar:
    """A one-line bar redrawn with \\r; no dependency, and silent when not on a terminal."""

    WIDTH = 30
    EVERY = 0.1  # seconds between redraws

    def __init__(self, stream):
        self.stream = stream
        self.stage = None
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if stage == self.stage and not finished and now - self.last < self.EVERY:
            return
        if stage != self.stage and self.stage is not None:
            self.stream.write("\n")
        self.stage, self.last = stage, now
        filled = int(self.WIDTH * min(done, total) / max(total, 1))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{stage:<22} [{bar}] {min(done, total)}/{total}")
        self.stream.flush()

    def close(self) -> None:
        if self.stage is not None:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import twin-city links from the wikidata-cities files (cities.csv, links.tsv) and "
        "the directed Wikidata statements (l3viathan-wikidata relations.tsv, names.tsv)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder holding wikidata-cities/ and l3viathan-wikidata/ "
            "(default: ../shared/data/twin-cities next to the project).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the whole import at the first bad row (nothing is written).",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            help="Where to write the report (default: tmp/reports/import_twin_cities-<time>.txt).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar even on a terminal."
        )

    def handle(self, *args, **options):
        files = DataFiles.under(options["data_dir"] or default_data_dir())
        report_path = options["report"] or default_report_path(settings.BASE_DIR)
        on_terminal = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        bar = ProgressBar(sys.stdout) if on_terminal and not options["no_progress"] else None
        try:
            outcome = run_import(
                files=files,
                dry_run=options["dry_run"],
                strict=options["strict"],
                progress=bar,
            )
        except StrictRefusal as refusal:
            if bar:
                bar.close()
            empty = ImportOutcome(files=files, dry_run=options["dry_run"])
            path = write_report(empty, report_path, refused=str(refusal.rejection))
            raise CommandError(
                f"--strict: refused at {refusal.rejection}. Nothing was written. Report: {path}"
            ) from None
        except (DataFileError, ImportBusy) as exc:
            if bar:
                bar.close()
            raise CommandError(str(exc)) from None
        if bar:
            bar.close()
        path = write_report(outcome, report_path)
        title = "Dry run of the twin-city import" if outcome.dry_run else "Twin-city import"
        self.stdout.write(f"{title} ({outcome.seconds:.1f} s)")
        for line in outcome.summary_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"report: {path}")
