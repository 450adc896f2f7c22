"""The admin refuses to save a record that someone else changed after the form was
opened, says who and when, and writes nothing."""

import pytest
from django.test import Client

from cities.models import City
from partnerships.models import Partnership
from tests.factories import UserFactory, world_record
from tests.test_admin import REGISTERED, admin_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(seed):
    return Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(UserFactory(username="colleague", groups=["editors"], is_staff=True))
    return first, second


def open_form(client, obj):
    return client.get(admin_url(type(obj), "change", obj.pk))


def save(client, obj, page, **changes):
    return client.post(admin_url(type(obj), "change", obj.pk), form_data(page, **changes))


def test_a_save_without_a_concurrent_edit_goes_through(client, editor, link):
    client.force_login(editor)

    response = save(client, link, open_form(client, link), status="suspended")

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "suspended"


def test_the_second_of_two_overlapping_saves_is_refused_and_says_by_whom(two_editors, link):
    mine, theirs = two_editors
    my_page, their_page = open_form(mine, link), open_form(theirs, link)
    assert save(theirs, link, their_page, status="ended").status_code == 302
    history = link.history.count()

    response = save(mine, link, my_page, status="suspended", description="My notes")

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert "Someone else changed this partnership after you opened this form" in errors[0]
    assert "by colleague" in errors[0]
    assert "Your changes were not saved" in response.content.decode()
    link.refresh_from_db()
    assert link.status == "ended" and link.description != "My notes"
    assert link.history.count() == history


def test_a_change_made_outside_the_admin_is_noticed_too(client, editor, link):
    client.force_login(editor)
    page = open_form(client, link)
    Partnership.objects.filter(pk=link.pk).update(description="Changed by an import")

    response = save(client, link, page, status="suspended")

    assert response.status_code == 200
    link.refresh_from_db()
    assert (link.status, link.description) == ("active", "Changed by an import")


def test_reopening_the_form_after_a_refusal_lets_the_edit_through(two_editors, link):
    mine, theirs = two_editors
    my_page = open_form(mine, link)
    save(theirs, link, open_form(theirs, link), status="ended")
    assert save(mine, link, my_page, status="suspended").status_code == 200

    assert save(mine, link, open_form(mine, link), status="suspended").status_code == 302


def test_a_city_form_is_guarded_as_well(two_editors, seed):
    city = City.objects.get(slug="tel-aviv")
    mine, theirs = two_editors
    my_page = open_form(mine, city)
    save(theirs, city, open_form(theirs, city), region="Tel Aviv District")

    response = save(mine, city, my_page, population="460000")

    assert response.status_code == 200
    city.refresh_from_db()
    assert city.region == "Tel Aviv District" and city.population != 460000


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_form_carries_the_hidden_version(client, seed, editor, model):
    client.force_login(editor)
    obj = model._default_manager.first() or world_record(model)

    page = client.get(admin_url(model, "change", obj.pk)).content.decode()

    assert 'type="hidden" name="record_version"' in page
    # Django's admin puts a hidden field in a row it hides (class "hidden").
    assert '<div class="form-row hidden field-record_version">' in page


def test_the_add_form_and_a_viewers_page_carry_no_version(client, seed, viewer, editor):
    client.force_login(viewer)
    viewer_page = open_form(client, City.objects.first()).content.decode()
    client.force_login(editor)
    add_page = client.get(admin_url(City, "add")).content.decode()

    assert "record_version" not in viewer_page and "Record version" not in viewer_page
    assert "record_version" not in add_page


def test_a_change_form_posted_without_its_version_is_refused_and_writes_nothing(
    client, editor, link
):
    client.force_login(editor)
    page = open_form(client, link)
    data = form_data(page, description="overwrites whatever is stored")
    del data["record_version"]
    # Someone else's change, made after the form was opened.
    Partnership.objects.filter(pk=link.pk).update(description="a newer change")

    response = client.post(admin_url(Partnership, "change", link.pk), data)

    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    link.refresh_from_db()
    assert link.description == "a newer change"
