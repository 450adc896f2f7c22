from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from ops.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every record, its history, users, groups and API tokens to a JSON file "
        "that `restore` (or loaddata) reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (default: backups/twinning-<UTC timestamp>.json[.gz]). "
            "A name ending in .gz is compressed.",
        )
        parser.add_argument("--gzip", action="store_true", help="Compress with gzip.")

    def handle(self, *args, output=None, gzip=False, **options):
        if output:
            path = Path(output)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            path = Path("backups") / f"twinning-{stamp}.json{'.gz' if gzip else ''}"
        compress = gzip or path.suffix == ".gz"
        if compress and path.suffix != ".gz":
            path = path.with_name(path.name + ".gz")  # loaddata recognises .json.gz
        path.parent.mkdir(parents=True, exist_ok=True)

        counts = write_backup(path, compress=compress)

        total = sum(counts.values())
        tables = sum(1 for n in counts.values() if n)
        self.stdout.write(f"Wrote {total} rows from {tables} tables to {path}")
