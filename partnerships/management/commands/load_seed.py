"""Load the seed fixtures into a database that holds no records yet.

`make run` and the web container call this on every start. Plain `loaddata seed`
would write the seed rows back over any edit staff made to them since (the rows
have fixed primary keys), so once the database holds records it is left alone.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cities.models import City
from partnerships.models import Partnership, Source


class Command(BaseCommand):
    help = "Load the seed fixtures (fixtures/seed.json) if the database holds no records yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-world",
            action="store_true",
            help="Then import the world's twin-town record from data/ (import_twin_cities), "
            "into an empty database only, as the seed.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load them even over existing records (reverts edits to the seed rows).",
        )

    def handle(self, *args, force: bool = False, with_world: bool = False, **options):
        holds_records = any(model.objects.exists() for model in (City, Partnership, Source))
        if holds_records and not force:
            self.stdout.write(
                "The database already holds records: seed not loaded, nothing changed "
                "(use --force to load it over them)."
            )
            return
        verbosity = options.get("verbosity", 1)
        call_command("loaddata", "seed", verbosity=verbosity)
        # loaddata saves raw, which simple_history skips: give each seed record its
        # first version, so the history of a record starts where its data starts.
        call_command("populate_history", auto=True, verbosity=0)
        if with_world:
            self.stdout.write(
                "Importing the world's twin-town record from data/ (about a minute)..."
            )
            call_command("import_twin_cities", "--no-progress", stdout=self.stdout)
