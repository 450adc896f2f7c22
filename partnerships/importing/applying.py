"""Write a plan to the database: bulk inserts and updates, in batches, with history.

simple_history's bulk helpers write one historical row per created or changed
record (same batches, one extra INSERT per batch), each with a change reason
naming the import, so the admin's history shows where a record came from.
"""

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cities.models import City, CityName, CityRedirect, PossibleDuplicate
from cities.search import refresh_search_text
from common.dates import Precision

from ..models import Partnership, PartnershipKind, PartnershipSource, PartnershipStatus, Source
from .datasets import DATASETS, NATURAL_EARTH
from .history import insert_history
from .planning import Plan

BATCH_SIZE = 1000
CHANGE_REASON = "Imported by manage.py import_twin_cities (public twin-town data sets)"

Progress = Callable[[str, int, int], None]


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _create(model, objects: list, stage: str, progress: Progress | None) -> list:
    """Bulk insert with one history row each (change reason: the import)."""
    created = []
    for start, batch in _batches(objects):
        rows = model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        insert_history(model, rows, reason=CHANGE_REASON)
        created += rows
        if progress:
            progress(stage, start + len(batch), len(objects))
    return created


def _create_plain(model, objects: list) -> None:
    for _, batch in _batches(objects):
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)


def _update(model, objects: list, fields: list[str], stage: str, progress: Progress | None):
    for start, batch in _batches(objects):
        bulk_update_with_history(
            batch, model, fields, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
        if progress:
            progress(stage, start + len(batch), len(objects))


def _full_rows(model, pks: list[int]) -> dict[int, object]:
    """Whole rows for the records to update, so their history rows are complete."""
    rows = {}
    for _, batch in _batches(pks, 900):
        rows.update(model.objects.in_bulk(batch))
    return rows


def ensure_sources(plan: Plan) -> None:
    for dataset in DATASETS:
        if dataset.key in plan.source_pks or dataset.key not in plan.datasets_used:
            continue
        source = Source.objects.create(
            publisher=dataset.publisher,
            title=dataset.title,
            url=dataset.url,
            published_on=dataset.published_on,
            note=dataset.note,
            dataset_key=dataset.key,
        )
        plan.source_pks[dataset.key] = source.pk
    if plan.sources_to_key:
        keys = {pk: key for key, pk in plan.source_pks.items()}
        for pk in plan.sources_to_key:
            Source.objects.filter(pk=pk).update(dataset_key=keys[pk])


def write_cities(plan: Plan, progress: Progress | None) -> None:
    new = []
    for city in plan.new_cities:
        native = plan.names.native.get(city.key)
        new.append(
            City(
                wikidata_id=city.qid,
                name=city.name,
                slug=city.slug,
                country=city.country,
                region=city.region,
                latitude=city.latitude,
                longitude=city.longitude,
                native_name=native[0] if native else "",
                native_name_language=native[1] if native else "",
                native_name_direction=native[2] if native else "ltr",
            )
        )
    for planned, city in zip(
        plan.new_cities, _create(City, new, "writing new cities", progress), strict=True
    ):
        plan.city_pks[planned.key] = city.pk

    changes: dict[int, dict] = {}
    for update in plan.updated_cities:
        changes.setdefault(update.pk, {}).update(
            {attr: new for attr, (_, new) in update.changes.items()}
        )
    pk_of_key = plan.city_pks
    new_keys = {c.key for c in plan.new_cities}
    for key, (name, language, direction) in plan.names.native.items():
        pk = pk_of_key.get(key)
        if pk is not None and key not in new_keys:
            changes.setdefault(pk, {}).update(
                native_name=name, native_name_language=language, native_name_direction=direction
            )
    now = timezone.now()
    stored = _full_rows(City, list(changes))
    changed, fields = [], {"updated_at"}
    for pk, values in changes.items():
        city = stored[pk]
        for attr, value in values.items():
            setattr(city, attr, value)
            fields.add(attr)
        city.updated_at = now  # bulk_update does not apply auto_now
        changed.append(city)
    _update(City, changed, sorted(fields), "updating cities", progress)

    redirected = set(
        CityRedirect.objects.filter(old_slug__in=[old for old, _ in plan.redirects]).values_list(
            "old_slug", flat=True
        )
    )
    _create_plain(
        CityRedirect,
        [
            CityRedirect(old_slug=old, city_id=pk, reason="the import transliterated the name")
            for old, pk in plan.redirects
            if old not in redirected
        ],
    )
    _create_plain(
        CityName,
        [
            CityName(
                city_id=plan.city_pks[key], language=language, name=name, source=NATURAL_EARTH.key
            )
            for key, language, name in plan.names.other
        ],
    )
    # bulk writes skip City.save(): refresh the search text of every city touched.
    refresh_search_text(
        {plan.city_pks[c.key] for c in plan.new_cities}
        | set(changes)
        | {plan.city_pks[key] for key, _, _ in plan.names.other}
    )
    duplicates = {}
    for a, b, why in plan.possible_duplicates:
        pa, pb = sorted((plan.city_pks[a], plan.city_pks[b]))
        duplicates.setdefault((pa, pb), why[:300])
    _create_plain(
        PossibleDuplicate,
        [
            PossibleDuplicate(city_a_id=a, city_b_id=b, reason=why)
            for (a, b), why in duplicates.items()
        ],
    )


def write_links(plan: Plan, progress: Progress | None) -> None:
    new = []
    for link in plan.new_links:
        a, b = sorted(plan.city_pks[key] for key in link.qids)
        start = dt.date(link.year, 1, 1) if link.year else None
        new.append(
            Partnership(
                city_a_id=a,
                city_b_id=b,
                # No data set says whether a link is between twin, sister or partner
                # cities, nor whether it is still alive: say so rather than guess.
                kind=PartnershipKind.UNSTATED,
                status=PartnershipStatus.UNKNOWN,
                one_sided=bool(link.one_sided),
                start_date=start,
                start_precision=Precision.YEAR if start else Precision.DAY,
            )
        )
    for link, partnership in zip(
        plan.new_links, _create(Partnership, new, "writing new links", progress), strict=True
    ):
        link.existing_pk = partnership.pk
        link.missing_sources = set(link.sources)

    now = timezone.now()
    flagged = [link for link in plan.updated_links if link.one_sided_change or link.start_change]
    stored = _full_rows(Partnership, [link.existing_pk for link in flagged] + plan.relabel)
    changed, fields = {}, {"updated_at"}
    for link in flagged:
        partnership = stored[link.existing_pk]
        if link.one_sided_change:
            partnership.one_sided = link.one_sided_change[1]
            fields.add("one_sided")
        if link.start_change:
            partnership.start_date = dt.date(link.start_change, 1, 1)
            partnership.start_precision = Precision.YEAR
            fields |= {"start_date", "start_precision"}
        partnership.updated_at = now
        changed[partnership.pk] = partnership
    for pk in plan.relabel:
        partnership = stored[pk]
        partnership.kind = PartnershipKind.UNSTATED
        partnership.status = PartnershipStatus.UNKNOWN
        partnership.updated_at = now
        fields |= {"kind", "status"}
        changed[pk] = partnership
    _update(Partnership, list(changed.values()), sorted(fields), "updating links", progress)

    citations = [
        PartnershipSource(partnership_id=link.existing_pk, source_id=plan.source_pks[key])
        for link in plan.new_links + plan.updated_links
        for key in sorted(link.missing_sources)
    ]
    _create(PartnershipSource, citations, "citing sources", progress)


def analyze_tables() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL guessed 2 German cities
    for 1,086 without them); SQLite's ANALYZE does the same for its planner."""
    tables = [
        model._meta.db_table
        for model in (City, CityName, Partnership, PartnershipSource, PossibleDuplicate)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
