"""Related ids in writes and in the browsable API's forms cost what they are worth."""

import pytest

from partnerships.models import CooperationArea, Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_a_repeated_area_is_folded_into_one_link_and_looked_up_once(
    api_client, editor, django_assert_max_num_queries
):
    CooperationArea.objects.create(name="art", slug="art")
    link = PartnershipFactory()
    api_client.force_authenticate(editor)

    with django_assert_max_num_queries(60):
        response = api_client.patch(
            f"/api/v1/partnerships/{link.pk}/", {"areas": ["art"] * 10_000}, format="json"
        )

    assert response.status_code == 200, response.json()
    assert response.json()["areas"] == ["art"]
    assert list(Partnership.objects.get(pk=link.pk).areas.values_list("slug", flat=True)) == ["art"]


def test_hundreds_of_different_areas_are_refused(api_client, editor):
    link = PartnershipFactory()
    api_client.force_authenticate(editor)

    response = api_client.patch(
        f"/api/v1/partnerships/{link.pk}/",
        {"areas": [f"area-{n}" for n in range(201)]},
        format="json",
    )

    assert response.status_code == 400
    assert "at most 200" in response.json()["areas"][0]


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/liaison-offices/"])
def test_the_browsable_forms_take_related_records_as_text_not_a_select_of_all(
    client, seed, editor, path
):
    client.force_login(editor)

    page = client.get(path, HTTP_ACCEPT="text/html").content.decode()

    form = page.split('id="post-object-form"')[-1].split("</form>")[0]
    assert '<option value="beijing"' not in form  # no <select> of every city
