"""Dates that carry their precision.

"About 1998" is stored as 1998-01-01 with precision YEAR and always shown and
serialised as "1998"; a month-precision date as "2018-04". The stored date is
truncated to its precision on save, so two records with the same partial date
compare equal and sort together.

An end (a link's end, a term's end, an office's closing) is stored as the last day
of its period instead: "ended in 1998" is 1998-12-31. So the database's "end not
before start" check compares the latest day the end can be with the earliest day
the start can be, and a link that started on 15 June 1998 may end "in 1998".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models


class Precision(models.TextChoices):
    YEAR = "year", "year"
    MONTH = "month", "month"
    DAY = "day", "day"


# [0-9], not \d: \d also matches other scripts' digits (١٩٩٨).
_ISO_PARTIAL = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")


def truncate(value: dt.date | None, precision: str) -> dt.date | None:
    """Drop the parts of a date finer than its precision: the first day of its period."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def period_end(value: dt.date | None, precision: str) -> dt.date | None:
    """The last day of the period a partial date names (1998 -> 1998-12-31)."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return value.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


@dataclass(frozen=True, order=True)
class PartialDate:
    date: dt.date
    precision: str = Precision.DAY

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read reduced ISO 8601: "1998", "2018-04" or "2018-04-13"."""
        match = _ISO_PARTIAL.match((text or "").strip())
        if not match:
            raise ValueError(
                f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1998, 2018-04)."
            )
        year, month, day = match["year"], match["month"], match["day"]
        try:
            value = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date: {exc}.") from None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(value, precision)

    @classmethod
    def of(cls, value: dt.date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        return cls(truncate(value, precision or Precision.DAY), precision or Precision.DAY)

    @staticmethod
    def format_iso(value: dt.date | None, precision: str) -> str | None:
        """Reduced ISO 8601 of a stored (date, precision) pair, without building a
        PartialDate (exports call this once per row); None for no date."""
        if value is None:
            return None
        if precision == Precision.YEAR:
            return f"{value.year:04d}"
        if precision == Precision.MONTH:
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()

    def isoformat(self) -> str:
        return self.format_iso(self.date, self.precision)

    def display(self, approximate: bool = False) -> str:
        """Human form at the real precision: "1998", "April 2018", "13 April 2018";
        "about 1998" when the source says "about". The one formatter of the admin,
        the pages and anything else that shows a partial date to a person."""
        if self.precision == Precision.YEAR:
            text = str(self.date.year)
        elif self.precision == Precision.MONTH:
            text = f"{self.date:%B} {self.date.year}"
        else:
            text = f"{self.date.day} {self.date:%B} {self.date.year}"
        return f"about {text}" if approximate else text

    def last_day(self) -> dt.date:
        """The last day of the period it names (1998 -> 1998-12-31)."""
        return period_end(self.date, self.precision)

    def __str__(self) -> str:
        return self.isoformat()


def precision_field(verbose_name: str) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date is known: year, month or day.",
    )


def precision_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": Precision.values}),
        name=name,
        violation_error_message=f"{field} must be one of {', '.join(Precision.values)}.",
    )


@dataclass(frozen=True)
class PartialDateSpec:
    """One partial date of a model, as every layer names it.

    `name` is the date field without a "_date" suffix ("start_date" -> "start",
    "opened_on" stays): the API field, the CSV column and the admin column all take
    it. `approximate_field` is "<name>_is_approximate" when the model has one.
    """

    name: str
    date_field: str
    precision_field: str
    approximate_field: str | None
    label: str
    required: bool


class PartialDatesMixin:
    """A model's partial dates, declared once in PARTIAL_DATES ({date field: precision
    field}); the serializers, the CSV exports and the admin columns are made from it.

    Normalises each pair on save: to the first day of its period, or the last day for
    the fields in PERIOD_ENDS."""

    PARTIAL_DATES: dict[str, str] = {}
    PERIOD_ENDS: frozenset[str] = frozenset()

    @classmethod
    def partial_date_specs(cls) -> list[PartialDateSpec]:
        names = {field.name for field in cls._meta.get_fields()}
        specs = []
        for date_field, precision_field_name in cls.PARTIAL_DATES.items():
            name = date_field.removesuffix("_date") or date_field
            approximate = f"{name}_is_approximate"
            field = cls._meta.get_field(date_field)
            specs.append(
                PartialDateSpec(
                    name=name,
                    date_field=date_field,
                    precision_field=precision_field_name,
                    approximate_field=approximate if approximate in names else None,
                    label=name.replace("_", " "),
                    required=not field.null,
                )
            )
        return specs

    def normalize_partial_dates(self) -> None:
        for date_field, precision_field_name in self.PARTIAL_DATES.items():
            normalize = period_end if date_field in self.PERIOD_ENDS else truncate
            setattr(
                self,
                date_field,
                normalize(getattr(self, date_field), getattr(self, precision_field_name)),
            )

    def partial_date(self, date_field: str) -> PartialDate | None:
        return PartialDate.of(
            getattr(self, date_field), getattr(self, self.PARTIAL_DATES[date_field])
        )

    def save(self, *args, **kwargs):
        self.normalize_partial_dates()
        super().save(*args, **kwargs)
