"""A bad network-stats request asked for as CSV is explained in JSON, as the schema says."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_bad_stats_request_asked_as_csv_is_answered_in_json(client):
    r = client.get("/api/v1/network/stats/", {"format": "csv", "limit": "0"})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
