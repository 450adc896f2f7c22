"""List filters for the partnerships admin that Django does not ship.

Each runs at most one query to build its choices, whatever the number of rows,
and answers a bad value with Django's "incorrect lookup" notice, never a 500.
"""

import datetime as dt
import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q

from cities.models import City

_DECADE = re.compile(r"^(\d{3})0s$")
_YEAR = re.compile(r"^\d{4}$")


def _date_range(value: str) -> tuple[dt.date, dt.date]:
    """ "1990s" -> [1990-01-01, 2000-01-01); "1998" -> [1998-01-01, 1999-01-01)."""
    if match := _DECADE.match(value):
        first = int(match[1]) * 10
        return dt.date(first, 1, 1), dt.date(first + 10, 1, 1)
    if _YEAR.match(value) and int(value) >= 1:
        year = int(value)
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max
    raise IncorrectLookupParameters(f"{value!r} is neither a decade (1990s) nor a year (1998).")


def decade_filter(field: str, title: str, parameter_name: str):
    """Filter a partial date by decade ("1990s") and, inside the chosen decade, by year.

    Whatever the precision of the stored date, "1998" matches every date in
    1998; this is why the filter works on ranges and not on date_hierarchy's
    months and days, which a year-precision date does not have.
    """

    class DecadeFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            years = sorted(
                {
                    day.year
                    for day in model_admin.model._default_manager.order_by().dates(field, "year")
                }
            )
            chosen = self.value() or ""
            chosen_decade = chosen[:3] if _DECADE.match(chosen) or _YEAR.match(chosen) else None
            choices = []
            for decade in sorted({year // 10 * 10 for year in years}):
                choices.append((f"{decade}s", f"{decade}s"))
                if chosen_decade == str(decade)[:3]:
                    # An em space indents the years of the open decade under it.
                    choices += [
                        (str(year), f"\u2003{year}") for year in years if year // 10 * 10 == decade
                    ]
            return choices

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            first, after = _date_range(self.value())
            return queryset.filter(**{f"{field}__gte": first, f"{field}__lt": after})

    DecadeFilter.title = title
    DecadeFilter.parameter_name = parameter_name
    return DecadeFilter


class EitherCityFilter(admin.SimpleListFilter):
    """`?city=<id>`: the links with that city on either side (A or B).

    Reached from a city's "partnerships" link. Only the chosen city is listed,
    since a list of every city would not fit in the sidebar; search finds others.
    """

    title = "city (either side)"
    parameter_name = "city"

    def lookups(self, request, model_admin):
        city = self._chosen_city()
        return [(str(city.pk), str(city))] if city else []

    def has_output(self):
        # The changelist applies only filters with output: stay on whenever a
        # value is given, so a bad one is reported rather than ignored.
        return self.value() is not None

    def _chosen_city(self):
        if not hasattr(self, "_city"):
            value = self.value()
            self._city = (
                City.objects.filter(pk=value).first() if value and value.isdigit() else None
            )
        return self._city

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"city must be a city id; got {value!r}.")
        return queryset.filter(Q(city_a_id=value) | Q(city_b_id=value))
