from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations on the whole service (backup, restore); it owns no models."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
