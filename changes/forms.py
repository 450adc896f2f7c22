from django import forms
from django.utils.translation import gettext_lazy as _

from public.forms import PlainSelect

from .log import group_choices


class ChangeFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=PlainSelect)
    before = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All records"))] + group_choices()
        self.fields["country"].choices = [("", _("All countries"))] + countries
