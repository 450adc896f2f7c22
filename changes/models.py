"""The one thing the change log stores itself: a run of an import, as one entry.

Every other change is read from the edit history simple_history already keeps
(see `changes.log`). An import writes thousands of historical rows with the change
reason "Imported by manage.py import_twin_cities ..."; the public page and the feeds
show the run as one entry with its counts (this model), while the per-record rows
stay reachable through /api/v1/changes/.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    command = models.CharField(_("command"), max_length=100, default="import_twin_cities")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), default=timezone.now, db_index=True)
    counts = models.JSONField(
        _("counts"), default=dict, blank=True, help_text=_('e.g. {"cities created": 5470}.')
    )
    summary = models.TextField(_("summary"), blank=True, max_length=20000)
    report = models.TextField(
        _("report"), blank=True, max_length=200000, help_text=_("The run's report, or its path.")
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-finished_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.command} ({self.finished_at:%Y-%m-%d %H:%M})"

    @property
    def summary_lines(self) -> list[str]:
        return [line for line in self.summary.splitlines() if line.strip()]


def record_import_run(
    summary_lines,
    counts: dict,
    *,
    report: str = "",
    command: str = "import_twin_cities",
    started_at=None,
    finished_at=None,
) -> ImportRun:
    """Record one run of an import so the change log shows it as one entry.

    Call it inside the import's transaction, after its writes (so it commits or rolls
    back with them): `record_import_run(["12 cities created", ...], {"cities created":
    12}, report=report_text_or_path, started_at=start)`. Counts are name -> number.
    """
    return ImportRun.objects.create(
        command=command,
        started_at=started_at,
        finished_at=finished_at or timezone.now(),
        counts={str(name): int(value) for name, value in dict(counts).items()},
        summary="\n".join(str(line) for line in summary_lines),
        report=report,
    )
