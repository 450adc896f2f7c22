"""The countries of a link's two cities on the link, kept by database triggers
(partnerships/link_countries.py): a country's links read from two indexes.

The triggers are not made here: partnerships.apps installs them after every migrate
(post_migrate) and drops them before (pre_migrate), so no schema change of a later
migration trips over them; installing fills the columns.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cities", "0007_country_id_index"),
        ("partnerships", "0005_text_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="country_a",
            field=models.CharField(default="", editable=False, max_length=2, verbose_name="country of city A"),
        ),
        migrations.AddField(
            model_name="partnership",
            name="country_b",
            field=models.CharField(default="", editable=False, max_length=2, verbose_name="country of city B"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["country_a", "id"], name="partnership_country_a_idx"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["country_b", "id"], name="partnership_country_b_idx"),
        ),
    ]
