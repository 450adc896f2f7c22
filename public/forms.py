"""The GET forms of the public pages: search and list filters.

Choices are plain ChoiceFields filled from one query each, so rendering and
validating a form costs the same, known number of queries on every page. An
unknown value is a form error shown next to the field, never a silently dropped
filter.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from partnerships.choices import LiaisonOfficeStatus, PartnershipKind, PartnershipStatus
from partnerships.models import CooperationArea


class PlainSelect(forms.Select):
    """A <select> written out in Python.

    Django renders every <option> through its own template; for the 200-odd countries
    of a filter that is several milliseconds per page. Same markup, no optgroups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def _any(label) -> list[tuple[str, str]]:
    return [("", label)]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("City, official, office…"),
                "autocomplete": "off",
            }
        ),
    )


class CityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Tel Aviv or 北京")}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=PlainSelect)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _any(_("All countries")) + countries


class PartnershipFilterForm(forms.Form):
    q = forms.CharField(
        label=_("City name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Tel Aviv or 北京")}),
    )
    country = forms.ChoiceField(
        label=_("Country (either city)"), required=False, widget=PlainSelect
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(_("All kinds")) + PartnershipKind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(_("Any status")) + PartnershipStatus.choices
    )
    area = forms.ChoiceField(label=_("Area of cooperation"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _any(_("All countries")) + countries
        self.fields["area"].choices = _any(_("All areas")) + list(
            CooperationArea.objects.order_by("name").values_list("slug", "name")
        )


class OfficeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_any(_("Any status")) + LiaisonOfficeStatus.choices,
    )
