"""The public "Network" page: the network's shape, and a path finder between two cities.

Same answers as /api/v1/network/stats/ and /path/ (both come from
partnerships.network). People type names, not slugs: a field takes either, and
a name that several cities share asks which one is meant.
"""

from itertools import zip_longest

from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.models import City
from partnerships import network
from public.countries import country_name


def _find_city(text: str) -> City:
    text = text.strip()
    matches = list(
        City.objects.filter(Q(slug=text) | Q(name__iexact=text)).order_by("name", "pk")[:20]
    )
    # A slug typed as it is names one city; "London" or "LONDON" may name several.
    by_slug = [city for city in matches if city.slug == text]
    if by_slug:
        return by_slug[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise forms.ValidationError(
            gettext("No city is called “%(name)s”. Try its English name.") % {"name": text}
        )
    # Namesakes told apart by region: "springfield-il (Illinois, United States of America)".
    choices = "; ".join(
        f"{c.slug} ({', '.join(p for p in (c.region, country_name(c.country) or c.country) if p)})"
        for c in matches
    )
    raise forms.ValidationError(
        gettext(
            "Several cities are called “%(name)s”: type the one you mean by its short name: "
            "%(choices)s."
        )
        % {"name": text, "choices": choices}
    )


class PathForm(forms.Form):
    """?from=...&to=..., the same names as the API's parameters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, example in [
            ("from", _("From"), _("e.g. Beijing")),
            ("to", _("To"), _("e.g. Springfield or springfield-us")),
        ]:
            self.fields[name] = forms.CharField(
                label=label,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": example, "autocomplete": "off"}),
            )

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            if data.get(name):
                try:
                    data[name] = _find_city(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


def network_page(request):
    form = PathForm(request.GET if "from" in request.GET or "to" in request.GET else None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = network.find_path(source=form.cleaned_data["from"], target=form.cleaned_data["to"])
    stats = network.network_stats()
    reach = stats["countries"]["reachability"]
    widest = reach[0]["reachable_countries"] if reach else 0
    return render(
        request,
        "public/network.html",
        {
            "form": form,
            "answer": answer,
            # (city, link to the next city) along the chain; the last city has no link.
            "steps": list(zip_longest(answer.cities, answer.links)) if answer else [],
            "stats": stats,
            # Countries that cannot reach every other linked country, fewest first.
            "cut_off": sorted(
                (c for c in reach if c["reachable_countries"] < widest),
                key=lambda c: (c["reachable_countries"], c["name"]),
            ),
        },
    )
