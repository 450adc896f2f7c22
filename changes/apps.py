from django.apps import AppConfig


class ChangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "changes"
    verbose_name = "Changes"

    def ready(self):
        from partnerships.importing import import_written

        from .models import record_import_run

        def record(sender, outcome, **kwargs):
            plan = outcome.plan
            record_import_run(
                outcome.summary_lines(),
                {
                    "cities created": len(plan.new_cities),
                    "cities updated": len(plan.updated_cities),
                    "links created": len(plan.new_links),
                    "links updated": len(plan.updated_links),
                    "rows rejected": len(outcome.rejected),
                },
            )

        import_written.connect(record, dispatch_uid="changes.record_import_run")
