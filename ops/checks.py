"""System checks for running in production (`manage.py check --deploy`)."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs=None, **kwargs):
    """With DEBUG off the static files are served from the manifest `collectstatic`
    writes; without it every HTML page is a 500 ("Missing staticfiles manifest
    entry") while the JSON API still answers, so the gap is easy to miss."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"The static files have not been collected: {settings.STATIC_ROOT}/"
            f"{storage.manifest_name} is missing, so every HTML page would answer 500.",
            hint="Run `python manage.py collectstatic --noinput` (the Dockerfile does) "
            "before starting the server.",
            id="ops.E001",
        )
    ]


def _migrated(database: str) -> bool:
    """No migration is pending (`migrate` runs the database checks before migrating;
    the text_validators migrations clean the names themselves)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[database])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@register(Tags.database)
def stored_text_valid(app_configs=None, databases=None, **kwargs):
    """Stored names and language tags that their field's validators now refuse
    (common/text.py): rows written before the validators, or by a write that bypassed
    them. Runs with `manage.py check --database default` (a database check reads
    every such column, so plain `check` and `runserver` skip it)."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    from common.text import LanguageTagValidator, NameTextValidator

    if not databases:
        return []
    databases = [db for db in databases if _migrated(db)]
    errors = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        if model.__module__.startswith("simple_history") or model.__name__.startswith("Historical"):
            continue  # history keeps what was stored; it is never saved again
        for field in model._meta.concrete_fields:
            checks = [
                v
                for v in field.validators
                if isinstance(v, NameTextValidator | LanguageTagValidator)
            ]
            if not checks:
                continue
            bad = []
            for database in databases:
                rows = model._base_manager.using(database).order_by("pk")
                for pk, value in rows.values_list("pk", field.attname).iterator():
                    for validator in checks:
                        try:
                            validator(value)
                        except ValidationError:
                            bad.append(pk)
                            break
            if bad:
                label = f"{model._meta.label}.{field.name}"
                errors.append(
                    Error(
                        f"{len(bad)} stored {label} value(s) are refused by the field's "
                        f"validators (ids {', '.join(map(str, bad[:10]))}"
                        f"{', ...' if len(bad) > 10 else ''}).",
                        hint="Correct them in the admin; names lose refused characters "
                        "with the text_validators migrations.",
                        obj=label,
                        id="ops.E002",
                    )
                )
    return errors
