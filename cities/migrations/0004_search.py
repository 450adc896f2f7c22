# City search (cities/search.py): every name of a city, folded, in one column; filled
# here for the cities already stored. On PostgreSQL a trigram index serves its LIKE.

from django.db import migrations, models


def fill(apps, schema_editor):
    from cities.search import search_text

    City = apps.get_model("cities", "City")
    CityName = apps.get_model("cities", "CityName")
    others = {}
    for city_id, name in CityName.objects.values_list("city_id", "name"):
        others.setdefault(city_id, []).append(name)
    changed = []
    for city in City.objects.only("pk", "name", "native_name", "slug"):
        city.search_text = search_text(
            [city.name, city.native_name, city.slug.replace("-", " "), *others.get(city.pk, ())]
        )
        changed.append(city)
    City.objects.bulk_update(changed, ["search_text"], batch_size=500)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS city_search_text_trgm "
        "ON cities_city USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS city_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0003_world_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Every name of the city, folded for search (cities/search.py); kept by save() and the importer.",
                verbose_name="search text",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
