"""The reader's forms. Lengths and the http(s)-only source URL come from the model
(a ModelForm validates through the model's own fields); what a proposed value must
look like comes from `services.parse_value`, the same function accepting it uses."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City
from common.dates import PartialDate

from . import services
from .models import Suggestion

COMMON = ["message", "source_url", "source_title", "contact_email", "note"]


class SuggestionForm(forms.ModelForm):
    # The honeypot: hidden from people (CSS, aria-hidden), filled in by form-filling bots.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    source_url = forms.URLField(
        label=_("Source URL"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Where this is stated: a web page (http or https)."),
    )

    class Meta:
        model = Suggestion
        fields = COMMON
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "source_title": _("Or the name of a document: an agreement, a council decision."),
            "contact_email": _("Optional: only staff see it, to ask you about this suggestion."),
            "note": _("Optional: anything else staff should know."),
        }

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        if (
            not (data.get("source_url") or "").strip()
            and not (data.get("source_title") or "").strip()
        ):
            if "source_url" not in self.errors:
                raise ValidationError(
                    _("Give a source: a web address or the name of a document."), code="source"
                )
        return data


class CorrectionForm(SuggestionForm):
    field = forms.ChoiceField(label=_("What is wrong or missing"))

    class Meta(SuggestionForm.Meta):
        fields = ["field", "proposed_value", *COMMON]
        labels = {
            "proposed_value": _("The right value"),
            "message": _("Why (what is wrong now)"),
        }
        help_texts = {
            **SuggestionForm.Meta.help_texts,
            "proposed_value": _("Dates at any precision: 1998, 1998-04 or 1998-04-13."),
        }

    def __init__(self, *args, subject: str, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = services.field_choices(subject)
        self.fields["message"].required = True

    def clean(self):
        data = super().clean()
        if data.get("field"):
            try:
                services.parse_value(self.subject, data["field"], data.get("proposed_value", ""))
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class NewPartnershipForm(SuggestionForm):
    partner = forms.CharField(
        label=_("Partner city"),
        max_length=220,
        help_text=_("Start typing a name and pick the city from the list."),
        widget=forms.TextInput(
            attrs={"list": "partner-options", "autocomplete": "off", "data-city-autocomplete": ""}
        ),
    )

    class Meta(SuggestionForm.Meta):
        fields = ["proposed_kind", "proposed_status", "proposed_start", *COMMON]
        labels = {
            "proposed_kind": _("Kind"),
            "proposed_status": _("Status"),
            "proposed_start": _("Since"),
            "message": _("Anything else about this link"),
        }

    field_order = ["partner", "proposed_kind", "proposed_status", "proposed_start"]

    def __init__(self, *args, city: City, **kwargs):
        self.city = city
        super().__init__(*args, **kwargs)

    def clean_partner(self):
        text = self.cleaned_data["partner"].strip()
        found = City.objects.filter(slug=text).first()
        if found is None:
            matches = list(City.objects.filter(Q(name__iexact=text) | Q(native_name=text))[:6])
            if len(matches) > 1:
                names = "; ".join(
                    f"{c.name}, {c.region or c.country.name} ({c.slug})" for c in matches
                )
                raise ValidationError(
                    _("Several cities have this name: %(names)s. Pick one.") % {"names": names}
                )
            found = matches[0] if matches else None
        if found is None:
            raise ValidationError(_("No city of that name is in the record."))
        if found.pk == self.city.pk:
            raise ValidationError(_("A city cannot be linked to itself."))
        return found

    def clean_proposed_start(self):
        text = self.cleaned_data.get("proposed_start", "").strip()
        if text:
            try:
                PartialDate.parse(text)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None
        return text
