"""The text-search base of the apps' QuerySets: one rule per model for what ?search=,
the site's search page and the admin look in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class SearchQuerySet(models.QuerySet):
    """`search(term)`: records where any of `search_fields` contains the term (any case).

    A subclass names its fields; a rule that reaches through a relation (a link found
    by either of its cities) overrides `search_q()` and reuses the related model's
    `search_q(term, prefix=...)`, so the rule for the related model stays in one place.
    """

    search_fields: tuple[str, ...] = ()

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        match = Q()
        for field in cls.search_fields:
            match |= Q(**{f"{prefix}{field}__icontains": term})
        return match

    def search(self, term: str | None):
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(self.search_q(term))
