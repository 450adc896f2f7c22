"""One story of edits for the change-log tests: an admin edit, an API edit, an accepted
reader suggestion, a delete and a merge, made the way staff and readers make them."""

from dataclasses import dataclass

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cities.models import City
from partnerships.models import Partnership
from suggestions.models import Suggestion
from suggestions.services import accept_suggestion
from tests.factories import CityFactory, PartnershipFactory
from tests.test_admin import form_data

MERGE_REASON = "Merged Old Town into New Town (same place)"


@dataclass
class Story:
    link: Partnership
    tel_aviv: City
    beijing: City
    suggestion: Suggestion
    deleted_pk: int
    merged_away_pk: int
    kept: City
    moved_link: Partnership


def seeded():
    """The seed with every record's first version (as `make run` loads it)."""
    call_command("load_seed", verbosity=0)


def admin_edit(editor, link, **changes):
    client = Client()
    client.force_login(editor)
    url = reverse("admin:partnerships_partnership_change", args=[link.pk])
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def api_edit(editor, city, **changes):
    client = APIClient()
    client.force_authenticate(editor)
    response = client.patch(f"/api/v1/cities/{city.slug}/", changes, format="json")
    assert response.status_code == 200, response.content


def suggest(slug="beijing", **values):
    data = {
        "field": "population",
        "proposed_value": "21893095",
        "message": "The 2020 census figure.",
        "source_url": "https://example.org/census-2020",
        "contact_email": "reader@example.org",
        **values,
    }
    response = Client().post(reverse("suggestions:city", args=[slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    return Suggestion.objects.latest("pk")


def api_delete(editor, city):
    client = APIClient()
    client.force_authenticate(editor)
    assert client.delete(f"/api/v1/cities/{city.slug}/").status_code == 204


def merge(kept: City, away: City, link: Partnership):
    """What the coming merge service writes: the link moved onto the kept city, then
    the merged city deleted, each with a change reason starting "Merged "."""
    if link.city_a_id == away.pk:
        link.city_a = kept
    else:
        link.city_b = kept
    link._change_reason = MERGE_REASON
    link.save()
    away._change_reason = MERGE_REASON
    away.delete()


def tell(editor) -> Story:
    seeded()
    return tell_after_seed(editor)


def tell_after_seed(editor) -> Story:
    link = Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")
    beijing, tel_aviv = link.city_a, link.city_b
    admin_edit(editor, link, status="suspended")
    api_edit(editor, tel_aviv, population=460613)
    suggestion = suggest()
    accept_suggestion(suggestion=suggestion, reviewer=editor)
    doomed = CityFactory(name="Atlantis", slug="atlantis", country="GR")
    deleted_pk = doomed.pk
    api_delete(editor, doomed)
    kept = CityFactory(name="New Town", slug="new-town", country="DE")
    away = CityFactory(name="Old Town", slug="old-town", country="DE")
    moved = PartnershipFactory(city_a=away, city_b=tel_aviv)  # stored in canonical order
    merged_away_pk = away.pk
    merge(kept, away, moved)
    return Story(
        link=link,
        tel_aviv=tel_aviv,
        beijing=beijing,
        suggestion=suggestion,
        deleted_pk=deleted_pk,
        merged_away_pk=merged_away_pk,
        kept=kept,
        moved_link=moved,
    )
