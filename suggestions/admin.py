"""The staff queue of reader suggestions: filters, the record and the proposal side by
side, and Accept / Reject / Duplicate buttons. Everything a reader wrote is shown as
text (Django's admin and format_html escape it); the source URL is a link only
because the model accepts http(s) addresses alone."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import Action, Status, Suggestion

READER_FIELDS = (
    "subject",
    "action",
    "city",
    "partnership",
    "office",
    "official",
    "field",
    "proposed_value",
    "partner_city",
    "proposed_kind",
    "proposed_status",
    "proposed_start",
    "message",
    "source_url",
    "source_title",
    "contact_email",
    "note",
    "created_at",
)
REVIEW_FIELDS = ("status", "reviewed_by", "reviewed_at", "source", "created_partnership")


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "action", "about", "what", "status", "reviewed_by")
    list_filter = ("status", "action", "subject", "created_at")
    search_fields = ("message", "proposed_value", "source_title", "source_url", "note")
    list_select_related = (
        "city",
        "partnership__city_a",
        "partnership__city_b",
        "office",
        "official",
        "partner_city",
        "reviewed_by",
    )
    date_hierarchy = "created_at"
    readonly_fields = (*READER_FIELDS, *REVIEW_FIELDS, "comparison", "source_link")
    fieldsets = (
        (gettext_lazy("The proposal"), {"fields": ("about_record", "comparison")}),
        (
            gettext_lazy("From the reader"),
            {
                "fields": (
                    "message",
                    "source_link",
                    "source_title",
                    "note",
                    "contact_email",
                    "created_at",
                )
            },
        ),
        (gettext_lazy("Review"), {"fields": ("staff_note", *REVIEW_FIELDS)}),
    )
    change_form_template = "admin/suggestions/suggestion/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "about_record")

    def has_add_permission(self, request):
        return False  # suggestions come from readers

    @admin.display(description=gettext_lazy("about"))
    def about(self, obj):
        return f"{obj.get_subject_display()}: {obj.target_label}"

    @admin.display(description=gettext_lazy("about"))
    def about_record(self, obj):
        target = obj.target
        label = f"{obj.get_subject_display()}: {obj.target_label}"
        if target is not None and hasattr(target, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', target.get_absolute_url(), label)
        return label

    @admin.display(description=gettext_lazy("what"))
    def what(self, obj):
        if obj.action == Action.ADD_PARTNERSHIP:
            partner = obj.partner_city.name if obj.partner_city else "—"
            return _("new link with %(partner)s") % {"partner": partner}
        labels = dict(services.field_choices(obj.subject))
        value = (
            obj.proposed_value if len(obj.proposed_value) <= 60 else obj.proposed_value[:59] + "…"
        )
        return f"{labels.get(obj.field, obj.field)} → {value}"

    @admin.display(description=gettext_lazy("stored now and proposed"))
    def comparison(self, obj):
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            services.comparison(obj),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("stored now"),
            _("proposed"),
            rows,
        )

    @admin.display(description=gettext_lazy("source URL"))
    def source_link(self, obj):
        if not obj.source_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>', obj.source_url, obj.source_url
        )

    # -- accept / reject ------------------------------------------------------

    def _may_apply(self, request, obj) -> bool:
        if obj.action == Action.ADD_PARTNERSHIP:
            return request.user.has_perm("partnerships.add_partnership")
        target = obj.target
        if target is None:
            return False
        meta = target._meta
        return request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_review"] = (
            obj is not None
            and obj.status == Status.NEW
            and self.has_change_permission(request, obj)
        )
        context["can_accept"] = context["can_review"] and self._may_apply(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        decision = next(
            (name for name in ("_accept", "_reject", "_duplicate") if name in request.POST), None
        )
        if decision is None:
            return super().response_change(request, obj)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        again = HttpResponseRedirect(request.path)
        try:
            if decision == "_accept":
                if not self._may_apply(request, obj):
                    raise PermissionDenied
                record = services.accept_suggestion(
                    suggestion=obj, reviewer=request.user, staff_note=obj.staff_note
                )
                messages.success(
                    request,
                    _("Accepted: %(record)s was changed and cites the source.")
                    % {"record": record},
                )
            else:
                services.reject_suggestion(
                    suggestion=obj,
                    reviewer=request.user,
                    reason=obj.staff_note,
                    duplicate=decision == "_duplicate",
                )
                messages.success(
                    request,
                    _("Marked as a duplicate; the record is unchanged.")
                    if decision == "_duplicate"
                    else _("Rejected; the record is unchanged."),
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, _("Not applied: %(message)s") % {"message": message})
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        return again
