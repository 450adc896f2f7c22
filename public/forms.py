"""The GET forms of the public pages: search and list filters.

Choices are plain ChoiceFields filled from one query each, so rendering and
validating a form costs the same, known number of queries on every page. An
unknown value is a form error shown next to the field, never a silently dropped
filter.
"""

from django import forms

from partnerships.choices import LiaisonOfficeStatus, PartnershipKind, PartnershipStatus
from partnerships.models import CooperationArea


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "City, official, office…",
                "autocomplete": "off",
            }
        ),
    )


class CityFilterForm(forms.Form):
    q = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Tel Aviv or 北京"}),
    )
    country = forms.ChoiceField(label="Country", required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _any("All countries") + countries


class PartnershipFilterForm(forms.Form):
    country = forms.ChoiceField(label="Country (either city)", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=_any("All kinds") + PartnershipKind.choices
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=_any("Any status") + PartnershipStatus.choices
    )
    area = forms.ChoiceField(label="Area of cooperation", required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _any("All countries") + countries
        self.fields["area"].choices = _any("All areas") + list(
            CooperationArea.objects.order_by("name").values_list("slug", "name")
        )


class OfficeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=_any("Any status") + LiaisonOfficeStatus.choices
    )
