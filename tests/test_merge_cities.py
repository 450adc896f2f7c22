"""Merging two records of one place (partnerships.merging.merge_cities), outside a test
transaction so the row locks run as they do for staff."""

import pytest

from cities.models import City, CityName, CityRedirect, PossibleDuplicate
from partnerships.merging import merge_cities
from partnerships.models import Partnership, PartnershipSource

from .factories import (
    CityFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    PartnershipFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def pair(a, b, **kwargs):
    a, b = sorted((a, b), key=lambda c: c.pk)
    return PartnershipFactory(city_a=a, city_b=b, **kwargs)


@pytest.fixture
def places():
    keep = CityFactory(name="Görlitz", slug="gorlitz", country="DE")
    dup = CityFactory(name="Görlitz", slug="gorlitz-pl", country="PL", wikidata_id="Q4077")
    other = CityFactory(name="Amiens", slug="amiens", country="FR")
    third = CityFactory(name="Molfetta", slug="molfetta", country="IT")
    return keep, dup, other, third


def test_links_offices_officials_and_names_move_to_the_city_kept(places):
    keep, dup, other, third = places
    moved = pair(dup, third)
    office = LiaisonOfficeFactory(host_city=dup)
    official = OfficialFactory(city=dup)
    CityName.objects.create(city=dup, language="pl", name="Zgorzelec?")
    editor = UserFactory()

    result = merge_cities(keep=keep, merge=dup, user=editor)

    assert not City.objects.filter(pk=dup.pk).exists()
    moved.refresh_from_db()
    assert {moved.city_a_id, moved.city_b_id} == {keep.pk, third.pk}
    assert moved.city_a_id < moved.city_b_id
    office.refresh_from_db()
    official.refresh_from_db()
    assert office.host_city_id == keep.pk and official.city_id == keep.pk
    assert keep.names.filter(language="pl").exists()
    keep.refresh_from_db()
    assert keep.wikidata_id == "Q4077"  # filled from the merged record
    assert "Merged" in result.summary()


def test_a_link_that_would_exist_twice_is_folded_keeping_both_sources(places):
    keep, dup, other, _ = places
    s1, s2 = SourceFactory(), SourceFactory()
    kept_link = pair(keep, other)
    PartnershipSource.objects.create(partnership=kept_link, source=s1)
    folded = pair(dup, other)
    PartnershipSource.objects.create(partnership=folded, source=s2)

    result = merge_cities(keep=keep, merge=dup)

    assert result.folded_links == [folded.pk]
    assert not Partnership.objects.filter(pk=folded.pk).exists()
    assert set(kept_link.sources.values_list("pk", flat=True)) == {s1.pk, s2.pk}
    assert Partnership.objects.involving(keep).count() == 1


def test_a_link_between_the_two_is_removed_not_made_a_self_link(places):
    keep, dup, *_ = places
    between = pair(keep, dup)
    result = merge_cities(keep=keep, merge=dup)
    assert result.removed_self_links == [between.pk]
    assert not Partnership.objects.filter(pk=between.pk).exists()


def test_the_history_records_the_merge(places):
    keep, dup, _, third = places
    moved = pair(dup, third)
    editor = UserFactory()
    merge_cities(keep=keep, merge=dup, user=editor)
    last = moved.history.first()
    assert last.history_change_reason.startswith("Merged Görlitz (/gorlitz-pl/)")
    assert last.history_user_id == editor.pk
    deleted = City.history.filter(id=dup.pk, history_type="-").get()
    assert deleted.history_change_reason.startswith("Merged")


def test_the_old_address_redirects_on_the_page_and_in_the_api(places, client):
    keep, dup, *_ = places
    PossibleDuplicate.objects.create(city_a=keep, city_b=dup, reason="same point")
    merge_cities(keep=keep, merge=dup)

    assert CityRedirect.objects.get(old_slug="gorlitz-pl").city_id == keep.pk
    page = client.get("/cities/gorlitz-pl/")
    assert page.status_code == 301 and page["Location"].endswith("/cities/gorlitz/")
    api = client.get("/api/v1/cities/gorlitz-pl/")
    assert api.status_code == 301 and api["Location"].endswith("/api/v1/cities/gorlitz/")
    assert client.get("/cities/no-such-city/").status_code == 404


def test_a_city_cannot_be_merged_into_itself(places):
    from django.core.exceptions import ValidationError

    keep, *_ = places
    with pytest.raises(ValidationError):
        merge_cities(keep=keep, merge=keep)
