"""Write a plan to the database: bulk inserts and updates, in batches, with history.

simple_history's bulk helpers write one historical row per created or changed
record (same batches, one extra INSERT per batch), each with a change reason
naming the import, so the admin's history shows where a record came from.
"""

from collections.abc import Callable

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cities.models import City

from ..models import Partnership, PartnershipKind, PartnershipSource, PartnershipStatus, Source
from .datasets import DATASETS
from .planning import Plan

BATCH_SIZE = 1000
CHANGE_REASON = "Imported by manage.py import_twin_cities (Wikidata twinning data)"

Progress = Callable[[str, int, int], None]


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _create(model, objects: list, stage: str, progress: Progress | None) -> list:
    created = []
    for start, batch in _batches(objects):
        created += bulk_create_with_history(
            batch, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
        if progress:
            progress(stage, start + len(batch), len(objects))
    return created


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
        if dataset.key in plan.source_pks:
            continue
        source, _ = Source.objects.get_or_create(
            publisher=dataset.publisher,
            title=dataset.title,
            defaults={
                "url": dataset.url,
                "published_on": dataset.published_on,
                "note": dataset.note,
            },
        )
        plan.source_pks[dataset.key] = source.pk


def write_cities(plan: Plan, progress: Progress | None) -> None:
    new = [
        City(
            wikidata_id=row.qid,
            name=row.name,
            slug=slug,
            country=row.country,
            region=row.region,
            latitude=row.latitude,
            longitude=row.longitude,
        )
        for row, slug in plan.new_cities
    ]
    for city in _create(City, new, "writing new cities", progress):
        plan.city_pks[city.wikidata_id] = city.pk

    now = timezone.now()
    stored = _full_rows(City, [update.pk for update in plan.updated_cities])
    changed = []
    for update in plan.updated_cities:
        city = stored[update.pk]
        for attr, (_, new_value) in update.changes.items():
            setattr(city, attr, new_value)
        city.updated_at = now  # bulk_update does not apply auto_now
        changed.append(city)
    fields = ["name", "country", "latitude", "longitude", "region", "updated_at"]
    _update(City, changed, fields, "updating cities", progress)


def write_links(plan: Plan, progress: Progress | None) -> None:
    new = []
    for link in plan.new_links:
        a, b = sorted(plan.city_pks[qid] for qid in link.qids)
        new.append(
            Partnership(
                city_a_id=a,
                city_b_id=b,
                kind=PartnershipKind.TWIN,
                status=PartnershipStatus.ACTIVE,
                one_sided=bool(link.one_sided),
            )
        )
    for link, partnership in zip(
        plan.new_links, _create(Partnership, new, "writing new links", progress), strict=True
    ):
        link.existing_pk = partnership.pk
        link.missing_sources = set(link.sources)

    now = timezone.now()
    flagged = [link for link in plan.updated_links if link.one_sided_change]
    stored = _full_rows(Partnership, [link.existing_pk for link in flagged])
    changed = []
    for link in flagged:
        partnership = stored[link.existing_pk]
        partnership.one_sided = link.one_sided_change[1]
        partnership.updated_at = now
        changed.append(partnership)
    _update(Partnership, changed, ["one_sided", "updated_at"], "updating links", progress)

    citations = [
        PartnershipSource(partnership_id=link.existing_pk, source_id=plan.source_pks[key])
        for link in plan.new_links + plan.updated_links
        for key in sorted(link.missing_sources)
    ]
    _create(PartnershipSource, citations, "citing sources", progress)
