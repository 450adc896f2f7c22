"""The import's fast history writer stores the rows simple_history's own bulk helper
stores: same columns, same values, on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from simple_history.utils import bulk_create_with_history

from cities.models import City
from partnerships.importing.history import insert_history
from partnerships.models import Partnership, PartnershipKind, PartnershipStatus, Precision

pytestmark = pytest.mark.django_db

SKIP = {"history_id", "history_date"}


def rows(model, pk):
    historical = model.history.model
    row = historical.objects.filter(id=pk).values().get()
    return {k: v for k, v in row.items() if k not in SKIP}


def test_city_and_link_history_rows_match_simple_histories():
    def city(n):
        return City(
            name=f"Łódź {n}",
            slug=f"lodz-{n}",
            country="PL",
            region="Łódź Voivodeship",
            latitude=Decimal("51.776667"),
            longitude=Decimal("19.454722"),
            wikidata_id=f"Q58{n}",
        )

    ours = City.objects.bulk_create([city(1)])
    insert_history(City, ours, reason="Imported")
    theirs = bulk_create_with_history([city(2)], City, default_change_reason="Imported")
    a, b = rows(City, ours[0].pk), rows(City, theirs[0].pk)
    for key in ("id", "name", "slug", "wikidata_id", "created_at", "updated_at"):
        a.pop(key), b.pop(key)
    assert a == b
    assert a["latitude"] == Decimal("51.776667") and a["country"] == "PL"

    def link():
        return Partnership(
            city_a=ours[0],
            city_b=theirs[0],
            kind=PartnershipKind.UNSTATED,
            status=PartnershipStatus.UNKNOWN,
            start_date=dt.date(2002, 1, 1),
            start_precision=Precision.YEAR,
        )

    mine = Partnership.objects.bulk_create([link()])
    insert_history(Partnership, mine, reason="Imported")
    row = rows(Partnership, mine[0].pk)
    assert row["start_date"] == dt.date(2002, 1, 1)
    assert (row["history_type"], row["history_change_reason"], row["history_user_id"]) == (
        "+",
        "Imported",
        None,
    )
    assert mine[0].history.get().instance.start_date == dt.date(2002, 1, 1)
