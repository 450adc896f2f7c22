"""Filter types that know no domain, for the apps' FilterSets. Every one validates its
value: a bad one is a 400 naming the filter (django-filter's form errors), never a
500 or a filter silently ignored.

- `CountryFilter`: an ISO 3166-1 alpha-2 code, in either case;
- `PartialDateFilter`: a year, month or day compared with the first or last day it names;
- `slug_filter`: a related record named by its slug (an unknown slug is a 400, not an
  empty list that looks like an answer);
- `MinimumFilter`, `StrictBooleanFilter`: a whole number >= 0; true/false only;
- `SearchFilter`: hands the words to the model's QuerySet.search();
- `CountryListFilter`: one or more codes, comma-separated (`country=DE,FR`) and/or
  repeated (`country=DE&country=FR`); a filter class with `repeatable = True` may be
  given more than once (api.base lets it through the "give this parameter once" check).

An empty value (`?country=`, `?started_before=`) is the filter not given, for every
filter alike: what an HTML form submits for a field left blank.
"""

from __future__ import annotations

import django_filters
from django import forms
from django_countries import countries
from django_filters.fields import ChoiceField
from drf_spectacular.utils import extend_schema_field

from common.dates import PartialDate

from .fields import PARTIAL_DATE_PATTERN


class CountryChoiceField(ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case ("il" is read as "IL")."""

    default_error_messages = {
        "invalid_choice": "%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. CN, IL).",
    }

    def to_python(self, value):
        return super().to_python(value).strip().upper()


def country_code_pattern() -> str:
    """The codes the filters accept, in either case, as one regular expression (the
    schema's pattern: a well-formed but unassigned code, "WE", is a 400 too)."""
    codes = sorted(code for code, _name in countries)
    either_case = ("".join(f"[{c.upper()}{c.lower()}]" for c in code) for code in codes)
    return f"^(?:{'|'.join(either_case)})$"


class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 country code, e.g. CN or IL.")
        super().__init__(*args, **kwargs)
        # The schema names the type explicitly (drf-spectacular cannot guess it for a
        # method filter), and an explicit schema must carry its own description.
        extend_schema_field(
            {
                "type": "string",
                "pattern": country_code_pattern(),
                "example": "IL",
                "description": kwargs["help_text"],
            }
        )(self)


class RepeatedCommaWidget(forms.TextInput):
    """Reads every value given (repeated and/or comma-separated) as one list."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        parts = [part.strip() for value in raw if value for part in value.split(",")]
        return [part for part in parts if part] or None


class CountryListField(forms.Field):
    widget = RepeatedCommaWidget
    default_error_messages = {
        "invalid_choice": "%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. CN, IL).",
    }

    def to_python(self, value):
        if not value:
            return None
        codes = []
        for part in value:
            code = part.upper()
            if code not in countries:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": part},
                )
            if code not in codes:
                codes.append(code)
        return codes


class CountryListFilter(django_filters.Filter):
    """One or more ISO 3166-1 alpha-2 codes: `DE`, `DE,FR`, or `country=DE&country=FR`."""

    field_class = CountryListField
    repeatable = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault(
            "help_text", "ISO 3166-1 alpha-2 codes, e.g. CN or DE,FR (or the parameter repeated)."
        )
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "array",
                "items": {"type": "string", "pattern": country_code_pattern(), "example": "DE"},
                "description": kwargs["help_text"],
            }
        )(self)

    def filter(self, qs, value):
        if not value:
            return qs
        return super().filter(qs, value)


class RepeatableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, also as `ordering=-a&ordering=b` (what OpenAPI clients
    send for an array parameter), besides `ordering=-a,b`."""

    repeatable = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["widget"] = RepeatedOrderingWidget


class RepeatedOrderingWidget(django_filters.widgets.BaseCSVWidget, forms.Select):
    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        parts = [part.strip() for value in raw if value for part in value.split(",")]
        return [part for part in parts if part] or None


class PartialDateFormField(forms.Field):
    """A year, a month or a day: "1998", "1998-04", "1998-04-13"."""

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return PartialDate.parse(value.strip())
        except ValueError as exc:
            # The reason quotes the input: pass it as a parameter, never as the message
            # itself, which django-filter formats with % ("?started_after=%" was a 500).
            raise forms.ValidationError(
                "%(reason)s", code="invalid", params={"reason": str(exc)}
            ) from None


class PartialDateFilter(django_filters.Filter):
    """Compares a date field with the start (`bound="first"`) or the end (`bound="last"`)
    of the period named: started_after=1998 means on or after 1998-01-01;
    started_before=1998 means on or before 1998-12-31. Both ends are inclusive."""

    field_class = PartialDateFormField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs["lookup_expr"] = "gte" if bound == "first" else "lte"
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": PARTIAL_DATE_PATTERN,
                "example": "1998",
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def filter(self, qs, value):
        if value is None:
            return qs
        day = value.date if self.bound == "first" else value.last_day()
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": day})


def slug_filter(queryset, help_text: str, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter on a related record named by its slug; an unknown slug is a 400."""
    return extend_schema_field({"type": "string", "description": help_text})(
        django_filters.ModelChoiceFilter(
            queryset=queryset,
            to_field_name="slug",
            help_text=help_text,
            # The browsable API's filter form: a text box, not a <select> of every city.
            widget=forms.TextInput,
            **kwargs,
        )
    )


class NonNegativeIntegerField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


class MinimumFilter(django_filters.NumberFilter):
    field_class = NonNegativeIntegerField

    def __init__(self, *args, **kwargs):
        kwargs["lookup_expr"] = "gte"
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {"type": "integer", "minimum": 0, "description": kwargs.get("help_text", "")}
        )(self)


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true/false only: django-filter's BooleanFilter reads "maybe" as "no filter",
    which would hand back every row for a typo."""

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        kwargs["coerce"] = lambda value: value == "true"
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "boolean", "description": kwargs.get("help_text", "")})(self)


class SearchFilter(django_filters.CharFilter):
    """?search=: the words the model's own QuerySet.search() looks for, so the API, the
    pages and the admin find the same records (each app's querysets say where it looks)."""

    def filter(self, qs, value):
        return qs.search(value) if value else qs
