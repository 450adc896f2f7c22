"""Query expressions shared by the public pages' reads."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from partnerships.models import Partnership


def links_on_side(side: str) -> Coalesce:
    """How many links name the outer city as `side` ("city_a" or "city_b"), as a
    correlated subquery over that side's indexed column."""
    per_city = (
        Partnership.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_city, output_field=IntegerField()), 0)


def link_count():
    """How many links the outer city takes part in, on either side.

    Two subqueries rather than Count() over both reverse joins: joining both sides
    multiplies the rows (a city with 150 links on each side would make 22,500).
    """
    return links_on_side("city_a") + links_on_side("city_b")
