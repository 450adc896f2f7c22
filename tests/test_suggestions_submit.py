"""Readers send suggestions without an account; nothing public changes, and abuse is held off."""

import pytest
from django.test import Client
from django.urls import reverse

from cities.models import City
from partnerships.models import Partnership
from suggestions.models import Suggestion

pytestmark = pytest.mark.django_db

GOOD = {
    "field": "population",
    "proposed_value": "21,893,095",
    "message": "The 2020 census figure.",
    "source_url": "https://example.org/census",
    "contact_email": "reader@example.org",
}


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CHANGES_API_SETTLE_SECONDS = 0


def post(client, slug="beijing", address="203.0.113.7", **data):
    return client.post(
        reverse("suggestions:city", args=[slug]), {**GOOD, **data}, REMOTE_ADDR=address
    )


def test_a_suggestion_is_stored_for_review_and_the_reader_is_thanked(client, seed):
    response = post(client)
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:thanks")
    suggestion = Suggestion.objects.get()
    assert (suggestion.subject, suggestion.city.slug, suggestion.status) == (
        "city",
        "beijing",
        "new",
    )
    assert suggestion.proposed_value == "21,893,095"
    thanks = client.get(response["Location"]).content.decode()
    assert "Nothing on the site changes until they accept it" in thanks


def test_a_suggestion_changes_nothing_public_and_its_email_is_never_shown(client, seed, editor):
    before = City.objects.get(slug="beijing").population
    post(client)
    assert City.objects.get(slug="beijing").population == before
    for url in [
        "/cities/beijing/",
        "/changes/",
        "/changes/feed/",
        "/api/v1/changes/?page_size=500",
    ]:
        body = client.get(url).content.decode()
        assert "reader@example.org" not in body
        assert "The 2020 census figure" not in body
    # It is in the staff queue.
    staff = Client()
    staff.force_login(editor)
    queue = staff.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert "population → 21,893,095" in queue


def test_a_new_partnership_names_the_partner_by_slug_or_unique_name(client, seed):
    url = reverse("suggestions:new-partnership", args=["beijing"])
    data = {
        "partner": "Tel Aviv",
        "proposed_kind": "friendship",
        "proposed_start": "2001-05",
        "source_title": "Council decision 12/2001",
    }
    assert client.post(url, data).status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.partner_city.slug == "tel-aviv"
    assert (suggestion.action, suggestion.proposed_start) == ("add-partnership", "2001-05")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"partner": "Atlantis"}, "partner"),
        ({"partner": "beijing"}, "partner"),
        ({"partner": "tel-aviv", "proposed_start": "about 2001"}, "proposed_start"),
        ({"partner": "tel-aviv", "proposed_kind": "marriage"}, "proposed_kind"),
    ],
)
def test_a_bad_new_partnership_is_refused_naming_the_field(client, seed, data, field):
    url = reverse("suggestions:new-partnership", args=["beijing"])
    response = client.post(url, {"source_title": "doc", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"source_url": "", "source_title": ""}, "__all__"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "ftp://example.org/file"}, "source_url"),
        ({"source_url": "data:text/html,<b>x</b>"}, "source_url"),
        ({"source_url": "https://example.org/" + "a" * 1000}, "source_url"),
        ({"message": "x" * 2001}, "message"),
        ({"note": "x" * 2001}, "note"),
        ({"source_title": "x" * 301}, "source_title"),
        ({"proposed_value": "x" * 2001}, "proposed_value"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"message": ""}, "message"),
        ({"field": "slug"}, "field"),
        ({"proposed_value": "many"}, "proposed_value"),
    ],
)
def test_limits_and_a_required_http_source_hold(client, seed, data, field):
    response = post(client, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_proposed_date_or_choice_is_checked_when_sent(client, seed):
    link = Partnership.objects.get()
    url = reverse("suggestions:partnership", args=[link.pk])
    bad = client.post(url, {**GOOD, "field": "start_date", "proposed_value": "spring 98"})
    assert "proposed_value" in bad.context["form"].errors
    assert (
        client.post(url, {**GOOD, "field": "status", "proposed_value": "ended"}).status_code == 302
    )
    assert (
        client.post(url, {**GOOD, "field": "end_date", "proposed_value": "2019"}).status_code == 302
    )


def test_the_honeypot_thanks_a_bot_and_stores_nothing(client, seed):
    response = post(client, website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:thanks")
    assert not Suggestion.objects.exists()


def test_one_address_is_limited_per_hour_whatever_it_forwards(client, seed, settings):
    settings.SUGGESTIONS_PER_HOUR = 3
    for n in range(3):
        assert post(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 302
    refused = post(client, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert refused.status_code == 429
    assert "Too many suggestions" in refused.content.decode()
    assert Suggestion.objects.count() == 3
    # Another address is not held back.
    assert post(client, address="203.0.113.8").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(seed):
    client = Client(enforce_csrf_checks=True)
    response = post(client)
    assert response.status_code == 403
    assert not Suggestion.objects.exists()
    page = client.get(reverse("suggestions:city", args=["beijing"])).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_every_record_page_offers_its_suggestion_form(client, seed):
    from partnerships.models import LiaisonOffice, Official

    office, official, link = (
        LiaisonOffice.objects.get(),
        Official.objects.first(),
        Partnership.objects.get(),
    )
    pages = {
        "/cities/beijing/": [
            reverse("suggestions:city", args=["beijing"]),
            reverse("suggestions:new-partnership", args=["beijing"]),
        ],
        link.get_absolute_url(): [reverse("suggestions:partnership", args=[link.pk])],
        office.get_absolute_url(): [reverse("suggestions:office", args=[office.slug])],
        official.get_absolute_url(): [reverse("suggestions:official", args=[official.slug])],
    }
    for page, forms in pages.items():
        body = client.get(page).content.decode()
        for form in forms:
            assert form in body
            assert client.get(form).status_code == 200
    assert client.get(reverse("suggestions:city", args=["nowhere"])).status_code == 404
