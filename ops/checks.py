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
