"""Dates that carry their precision.

"About 1998" is stored as 1998-01-01 with precision YEAR and always shown and
serialised as "1998"; a month-precision date as "2018-04". The stored date is
truncated to its precision on save, so two records with the same partial date
compare equal and sort together.
"""

from __future__ import annotations

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
    """Drop the parts of a date finer than its precision."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
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

    def isoformat(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def display(self) -> str:
        """Human form at the real precision: "1998", "April 2018", "13 April 2018"."""
        if self.precision == Precision.YEAR:
            return str(self.date.year)
        if self.precision == Precision.MONTH:
            return f"{self.date:%B} {self.date.year}"
        return f"{self.date.day} {self.date:%B} {self.date.year}"

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


class PartialDatesMixin:
    """Truncates each (date field, precision field) pair named in PARTIAL_DATES on save."""

    PARTIAL_DATES: dict[str, str] = {}

    def normalize_partial_dates(self) -> None:
        for date_field, precision_field_name in self.PARTIAL_DATES.items():
            setattr(
                self,
                date_field,
                truncate(getattr(self, date_field), getattr(self, precision_field_name)),
            )

    def partial_date(self, date_field: str) -> PartialDate | None:
        return PartialDate.of(
            getattr(self, date_field), getattr(self, self.PARTIAL_DATES[date_field])
        )

    def save(self, *args, **kwargs):
        self.normalize_partial_dates()
        super().save(*args, **kwargs)
