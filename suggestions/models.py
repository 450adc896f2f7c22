"""A reader's correction or addition, with its source, waiting for staff review.

Nothing here changes the public record: a suggestion is applied only when a member
of staff accepts it (`services.accept_suggestion`). The submitter's e-mail is for
staff follow-up only: no page, feed or API shows it, and the model has no history
table so it never reaches the change log either.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City
from partnerships.choices import PartnershipKind, PartnershipStatus
from partnerships.models import LiaisonOffice, Official, Partnership, Source

#: http and https only: no javascript:, data:, ftp: or file: links to click in the admin.
http_url_validator = URLValidator(schemes=["http", "https"])


class Subject(models.TextChoices):
    CITY = "city", _("city")
    PARTNERSHIP = "partnership", _("partnership")
    OFFICE = "office", _("liaison office")
    OFFICIAL = "official", _("official")


class Action(models.TextChoices):
    CORRECT = "correct", _("correction")
    ADD_PARTNERSHIP = "add-partnership", _("new partnership")


class Status(models.TextChoices):
    NEW = "new", _("new")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")


class SuggestionQuerySet(models.QuerySet):
    def with_subjects(self):
        return self.select_related(
            "city",
            "partnership__city_a",
            "partnership__city_b",
            "office",
            "official",
            "partner_city",
            "reviewed_by",
        )


class Suggestion(models.Model):
    Subject = Subject
    Action = Action
    Status = Status

    subject = models.CharField(_("about a"), max_length=12, choices=Subject.choices)
    action = models.CharField(
        _("action"), max_length=16, choices=Action.choices, default=Action.CORRECT
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    office = models.ForeignKey(
        LiaisonOffice,
        verbose_name=_("liaison office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    # A correction: one field of the record and the value proposed for it.
    field = models.CharField(_("field"), max_length=40, blank=True)
    proposed_value = models.TextField(_("proposed value"), max_length=2000, blank=True)
    # A new partnership of `city`: the partner and what is known of the link.
    partner_city = models.ForeignKey(
        City,
        verbose_name=_("partner city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_kind = models.CharField(
        _("proposed kind"), max_length=12, choices=PartnershipKind.choices, blank=True
    )
    proposed_status = models.CharField(
        _("proposed status"), max_length=10, choices=PartnershipStatus.choices, blank=True
    )
    proposed_start = models.CharField(
        _("proposed start"), max_length=10, blank=True, help_text=_("1998, 1998-04 or 1998-04-13.")
    )
    message = models.TextField(_("what is wrong or missing"), max_length=2000, blank=True)
    source_url = models.URLField(
        _("source URL"), max_length=1000, blank=True, validators=[http_url_validator]
    )
    source_title = models.CharField(_("source document"), max_length=300, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("For staff follow-up only; never shown.")
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    staff_note = models.TextField(_("staff note"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source recorded"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The source record made from this suggestion when it was accepted."),
    )
    created_partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_title=""),
                name="suggestion_has_source",
                violation_error_message=_("Give a source: a web address or a document's name."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=Subject.values), name="suggestion_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="suggestion_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_action_display()}: {self.target_label}"

    @property
    def target(self):
        return {
            Subject.CITY: self.city,
            Subject.PARTNERSHIP: self.partnership,
            Subject.OFFICE: self.office,
            Subject.OFFICIAL: self.official,
        }.get(self.subject)

    @property
    def target_label(self) -> str:
        target = self.target
        if target is None:
            return str(_("(record no longer exists)"))
        if isinstance(target, Partnership):
            return f"{target.city_a.name} – {target.city_b.name}"
        if isinstance(target, Official):
            return target.name
        return str(target)

    @property
    def source_label(self) -> str:
        return self.source_title or self.source_url
