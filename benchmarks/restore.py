"""Time `manage.py restore` of a backup of about 100,000 generated rows; print it.

    .venv/bin/python benchmarks/restore.py                      # SQLite temp files
    .venv/bin/python benchmarks/restore.py --postgres postgres://postgres@127.0.0.1:5432/tw_bench
    .venv/bin/python benchmarks/restore.py --rows 20000          # a smaller data set
    .venv/bin/python benchmarks/restore.py --tree /path/to/other/checkout   # its restore

A fresh database is migrated and filled with generated rows (cities, each with its
history row and a name in another language; two links per city, each with its history
row and a cited source; ~9 rows per city: `--rows` / 9 cities), backed up with
`manage.py backup`; then `manage.py restore` reads that file into a second fresh
database, in a process of its own, timed from start to exit (the migrate it runs
included). `--tree` runs the restore of another checkout on the same file (to compare
with an earlier version); it must have the same migrations. Finally a backup of the
restored database is compared with the first: the script says whether they are
identical. On PostgreSQL the two databases are `<name>_src` and `<name>` (dropped and
created again).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from benchmarks.import_full import child_env, fresh_postgres  # noqa: E402


def manage(database_url: str, *args: str, cwd: Path = ROOT) -> str:
    python = PYTHON
    if cwd != ROOT and (cwd / ".venv" / "bin" / "python").exists():
        python = str(cwd / ".venv" / "bin" / "python")
    done = subprocess.run(
        [python, "manage.py", *args],
        cwd=cwd,
        env=child_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def generate(rows: int) -> None:
    """In a child process on the source database: about `rows` rows, in bulk."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from cities.models import City, CityName
    from cities.search import refresh_search_text
    from partnerships.models import Partnership, PartnershipSource, Source

    per_city = 9
    count = max(rows // per_city, 10)
    user = get_user_model().objects.create_user("bench-editor", is_staff=True)
    countries = ["FR", "DE", "IL", "CN", "CZ", "PL", "US", "BR", "JP", "IN"]
    with transaction.atomic():
        cities = [
            City(
                name=f"Town {n}",
                slug=f"town-{n}",
                country=countries[n % len(countries)],
                native_name=f"Ville {n}",
                native_name_language="fr",
                population=1000 + n,
            )
            for n in range(count)
        ]
        bulk_create_with_history(cities, City, batch_size=2000, default_user=user)
        cities = list(City.objects.order_by("pk"))
        CityName.objects.bulk_create(
            [CityName(city=c, language="de", name=f"Stadt {c.pk}") for c in cities],
            batch_size=2000,
        )
        source = Source.objects.create(publisher="Bench Gazette", title="All the links")
        links = [
            Partnership(city_a=cities[j], city_b=cities[j + offset], description=f"link {j}")
            for offset in (1, 2)
            for j in range(count - offset)
        ]
        bulk_create_with_history(links, Partnership, batch_size=2000, default_user=user)
        PartnershipSource.objects.bulk_create(
            [
                PartnershipSource(partnership_id=pk, source=source)
                for pk in Partnership.objects.values_list("pk", flat=True)
            ],
            batch_size=2000,
        )
        refresh_search_text()  # as the importer does after its bulk writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", help="postgres://... URL; databases <name>_src and <name>")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose restore runs")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.postgres:
            parsed = urlparse(args.postgres)
            name = parsed.path.lstrip("/")
            source = fresh_postgres(urlunparse(parsed._replace(path=f"/{name}_src")))
            target = fresh_postgres(args.postgres)
        else:
            source = f"sqlite:///{folder}/source.sqlite3"
            target = f"sqlite:///{folder}/restored.sqlite3"
        manage(source, "migrate", "--noinput", "-v", "0")
        subprocess.run(
            [PYTHON, __file__, "--generate", str(args.rows)],
            cwd=ROOT,
            env=child_env(source),
            check=True,
        )
        backup = folder / "backup.json"
        manage(source, "backup", "--output", str(backup))
        records = json.loads(backup.read_text())

        started = time.perf_counter()
        manage(target, "restore", str(backup), cwd=args.tree.resolve())
        seconds = time.perf_counter() - started

        again = folder / "again.json"
        manage(target, "backup", "--output", str(again))
        identical = json.loads(again.read_text()) == records
        engine = "postgresql" if args.postgres else "sqlite"
        print(
            f"restore ({engine}, {args.tree.resolve()}): {len(records):,} rows in "
            f"{seconds:.1f} s ({len(records) / seconds:,.0f} rows/s); "
            f"backup of the restored database identical: {'yes' if identical else 'NO'}"
        )


if __name__ == "__main__":
    main()
