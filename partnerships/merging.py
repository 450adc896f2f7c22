"""Merge two city records that are one place: the service behind the admin action.

    result = merge_cities(keep=city, merge=duplicate, user=request.user)

Everything that points at the merged city moves to the one kept: links, liaison
offices, officials, organisations, events, names and old addresses. A link that
would then exist twice (same pair, same kind) is folded into the existing one,
which gains its sources and areas; a link between the two cities themselves would
become a self-link and is removed. The merged city's slug becomes a redirect to the
kept one (page and API), its history records the merge, and so does the history of
every record that moved ("Merged <name> into <name>"). One transaction: all or nothing.

It lives in `partnerships`, the layer that knows both cities and what is built on
them; `cities` knows nothing of links.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import update_change_reason

from cities.models import City, CityName, CityRedirect, PossibleDuplicate

from .models import Partnership, PartnershipArea, PartnershipSource


@dataclass
class MergeResult:
    kept: City
    merged_slug: str
    moved: dict[str, int] = field(default_factory=dict)
    folded_links: list[int] = field(default_factory=list)  # pks of links folded away
    removed_self_links: list[int] = field(default_factory=list)

    def summary(self) -> str:
        moved = ", ".join(f"{n} {label}" for label, n in sorted(self.moved.items()) if n)
        parts = [f"Merged /{self.merged_slug}/ into /{self.kept.slug}/"]
        if moved:
            parts.append(f"moved {moved}")
        if self.folded_links:
            parts.append(f"folded {len(self.folded_links)} duplicate link(s)")
        if self.removed_self_links:
            parts.append(f"removed {len(self.removed_self_links)} link(s) between the two")
        return "; ".join(parts) + "."


def _save(obj, reason: str, user=None) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj.save()
    if hasattr(obj, "history"):
        update_change_reason(obj, reason)


def _fold_link(link: Partnership, into: Partnership, reason: str, user) -> None:
    """Move what cites or hangs on `link` to `into`, then delete `link`."""
    have_sources = set(into.partnershipsource_set.values_list("source_id", flat=True))
    for row in PartnershipSource.objects.filter(partnership=link):
        if row.source_id not in have_sources:
            PartnershipSource.objects.create(partnership=into, source_id=row.source_id)
    have_areas = set(
        PartnershipArea.objects.filter(partnership=into).values_list("area_id", flat=True)
    )
    for row in PartnershipArea.objects.filter(partnership=link):
        if row.area_id not in have_areas:
            PartnershipArea.objects.create(partnership=into, area_id=row.area_id)
    for relation in Partnership._meta.related_objects:
        if relation.many_to_many or relation.related_model in (PartnershipSource, PartnershipArea):
            continue
        for obj in relation.related_model._default_manager.filter(**{relation.field.name: link}):
            setattr(obj, relation.field.name, into)
            _save(obj, reason, user)
    if user is not None:
        link._history_user = user
    link._change_reason = reason
    link.delete()


def _move_links(keep: City, merge: City, reason: str, user, result: MergeResult) -> None:
    links = Partnership.objects.filter(city_a=merge) | Partnership.objects.filter(city_b=merge)
    for link in links.select_related("city_a", "city_b").order_by("pk"):
        other = link.city_b if link.city_a_id == merge.pk else link.city_a
        if other.pk == keep.pk:
            result.removed_self_links.append(link.pk)
            if user is not None:
                link._history_user = user
            link._change_reason = reason
            link.delete()
            continue
        a, b = sorted((keep, other), key=lambda c: c.pk)
        existing = (
            Partnership.objects.filter(city_a=a, city_b=b, kind=link.kind)
            .exclude(pk=link.pk)
            .first()
        )
        if existing is not None:
            result.folded_links.append(link.pk)
            _fold_link(link, existing, reason, user)
            continue
        link.city_a, link.city_b = a, b
        _save(link, reason, user)
        result.moved["links"] = result.moved.get("links", 0) + 1


@transaction.atomic
def merge_cities(*, keep: City, merge: City, user=None) -> MergeResult:
    if keep.pk == merge.pk:
        raise ValidationError("A city cannot be merged into itself.")
    # Lock both rows (in id order, so two merges cannot deadlock), then work on
    # fresh copies: nothing read before the lock is trusted.
    locked = {c.pk: c for c in City.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])}
    if len(locked) != 2:
        raise ValidationError("One of the two cities no longer exists.")
    keep, merge = locked[keep.pk], locked[merge.pk]
    reason = f"Merged {merge.name} (/{merge.slug}/) into {keep.name} (/{keep.slug}/)"[:100]
    result = MergeResult(kept=keep, merged_slug=merge.slug)

    _move_links(keep, merge, reason, user, result)
    for relation in City._meta.related_objects:
        model = relation.related_model
        if (
            model in (Partnership, CityName, CityRedirect, PossibleDuplicate)
            or relation.many_to_many
        ):
            continue
        rows = list(model._default_manager.filter(**{relation.field.name: merge}))
        for obj in rows:
            setattr(obj, relation.field.name, keep)
            _save(obj, reason, user)
        if rows:
            label = model._meta.verbose_name_plural
            result.moved[str(label)] = result.moved.get(str(label), 0) + len(rows)

    have = set(CityName.objects.filter(city=keep).values_list("language", flat=True))
    names = CityName.objects.filter(city=merge).exclude(language__in=have)
    result.moved["names"] = names.update(city=keep)
    CityRedirect.objects.filter(city=merge).update(city=keep)
    CityRedirect.objects.create(old_slug=merge.slug, city=keep, reason=reason[:200])
    for field_name in ("native_name", "region", "wikidata_id", "description"):
        if not getattr(keep, field_name) and getattr(merge, field_name):
            # The Wikidata ID is unique: free it on the merged row first.
            if field_name == "wikidata_id":
                City.objects.filter(pk=merge.pk).update(wikidata_id="")
            setattr(keep, field_name, getattr(merge, field_name))
            if field_name == "native_name":
                keep.native_name_language = merge.native_name_language
                keep.native_name_direction = merge.native_name_direction
    if keep.latitude is None and merge.latitude is not None:
        keep.latitude, keep.longitude = merge.latitude, merge.longitude
    if keep.population is None and merge.population is not None:
        keep.population = merge.population
    _save(keep, reason, user)

    # The pair itself goes with the merged city (it cascades); the CityRedirect above
    # is the lasting record of the merge. Other pairs that named the merged city now
    # name the kept one, or are resolved.
    for pair in PossibleDuplicate.objects.filter(city_a=merge) | PossibleDuplicate.objects.filter(
        city_b=merge
    ):
        other = pair.city_b_id if pair.city_a_id == merge.pk else pair.city_a_id
        lo, hi = sorted((keep.pk, other))
        if (
            other != keep.pk
            and not PossibleDuplicate.objects.filter(city_a_id=lo, city_b_id=hi).exists()
        ):
            PossibleDuplicate.objects.create(
                city_a_id=lo, city_b_id=hi, reason=pair.reason, status=pair.status
            )
    if user is not None:
        merge._history_user = user
    merge._change_reason = reason
    merge.delete()

    from common.data_version import bump_data_version

    transaction.on_commit(bump_data_version)
    return result
