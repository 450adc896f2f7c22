"""The maps' own world (static/vendor/world/world-110m.geojson, built by
tools/build_world_map.py): drawn flat it has no streak across the map, every country
has a label point inside the world, and the builder cuts rings at the antimeridian."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "static" / "vendor" / "world" / "world-110m.geojson"


@pytest.fixture(scope="module")
def world() -> dict:
    return json.loads(WORLD.read_text())


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location(
        "build_world_map", ROOT / "tools" / "build_world_map.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rings(feature):
    geometry = feature["geometry"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return geometry["coordinates"]


def test_no_edge_runs_across_the_map(world):
    for feature in world["features"]:
        for ring in rings(feature):
            for (lng_a, lat_a), (lng_b, lat_b) in zip(ring, ring[1:], strict=False):
                assert -180 <= lng_a <= 180 and -90 <= lat_a <= 90
                # Only along the south pole's edge may a ring go from one side to the other.
                if abs(lng_a - lng_b) > 90:
                    assert lat_a == lat_b == -90, (feature["properties"], lng_a, lng_b)


def test_countries_coasts_and_borders(world):
    kinds = [feature["properties"]["kind"] for feature in world["features"]]
    assert kinds.count("coast") == 1 and kinds.count("border") == 1
    countries = [f["properties"] for f in world["features"] if f["properties"]["kind"] == "country"]
    assert len(countries) > 170
    codes = {country["code"] for country in countries}
    assert {"CN", "IL", "US", "RU", "FJ", "NZ", "AT", "XK"} <= codes
    for country in countries:
        lat, lng = country["label"]
        assert -90 <= lat <= 90 and -180 <= lng <= 180 and country["area"] >= 0


def test_russia_and_fiji_are_cut_at_the_antimeridian_not_streaked(world):
    by_code = {
        f["properties"]["code"]: f
        for f in world["features"]
        if f["properties"]["kind"] == "country"
    }
    for code in ("RU", "FJ"):
        longitudes = [lng for ring in rings(by_code[code]) for lng, _lat in ring]
        assert min(longitudes) == pytest.approx(-180, abs=0.01)  # the part east of the line
        assert max(longitudes) == pytest.approx(180, abs=0.01)  # and the part west of it


def test_the_builder_splits_a_ring_that_crosses_the_antimeridian(builder):
    ring = [(170, 10), (-170, 10), (-170, 20), (170, 20), (170, 10)]
    parts = builder.split_ring(ring)
    assert len(parts) == 2
    spans = sorted((min(p[0] for p in part), max(p[0] for p in part)) for part in parts)
    assert spans == [(-180, -170), (170, 180)]


def test_the_builder_closes_a_ring_around_the_pole_through_it(builder):
    ring = [(lng, -70) for lng in range(-180, 181, 30)]
    parts = builder.split_ring(ring)
    assert len(parts) == 1
    assert min(lat for _lng, lat in parts[0]) == -90


def test_the_builder_splits_a_line_at_the_antimeridian(builder):
    lines = builder.split_line([(170, 0), (-170, 10)])
    assert lines == [[(170, 0), (180, 5.0)], [(-180, 5.0), (-170, 10)]]
