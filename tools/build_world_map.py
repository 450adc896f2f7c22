"""Build static/vendor/world/world-110m.geojson, the maps' offline background, from
world-atlas's countries-110m.json (Natural Earth 1:110m admin 0, public domain).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world_map.py package/countries-110m.json

What it writes (read by static/js/map.js), one FeatureCollection of:
- one feature per country: a MultiPolygon, filled with no outline, with properties
  `code` (ISO 3166-1 alpha-2 when the country has one), `name` (English), `label`
  ([lat, lng] of a point well inside its largest polygon) and `area` (of that polygon,
  in square degrees, which decides from which zoom its name is shown);
- one "coast" and one "border" MultiLineString: the arcs used by one country (coast)
  or two (border), drawn as lines so that no outline runs along a cut.

world-atlas keeps its polygons whole on the sphere (for d3-geo): drawn flat, a polygon
that crosses the antimeridian (Russia's Chukotka, Fiji) streaks across the whole map and
Antarctica, which surrounds the pole, fills the wrong side. Here every ring is unwrapped
(longitudes made continuous), a ring around the pole is closed through it, and a ring
reaching past ±180° is cut into the parts on either side, each shifted back into
[-180, 180]. Lines are split where they cross the antimeridian. Coordinates are rounded
to 0.01 degree.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from django_countries import countries as _countries

OUT = Path(__file__).resolve().parents[1] / "static" / "vendor" / "world" / "world-110m.geojson"


# Natural Earth's countries with no ISO numeric code that have a code in common use
# (and a name in the browser's Intl.DisplayNames); the others get no label.
NO_NUMERIC = {"Kosovo": "XK"}


def alpha2(numeric: str | None, name: str = "") -> str:
    """ISO 3166-1 numeric -> alpha-2, from django-countries (already a dependency)."""
    if not numeric or not numeric.isdigit():
        return NO_NUMERIC.get(name, "")
    return _countries.alpha2(int(numeric)) or ""


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points if not ring else points[1:])
    return ring


def unwrap(ring):
    out = [ring[0]]
    for lng, lat in ring[1:]:
        previous = out[-1][0]
        while lng - previous > 180:
            lng -= 360
        while lng - previous < -180:
            lng += 360
        out.append((lng, lat))
    return out


def clip(ring, keep):
    """Sutherland-Hodgman against one vertical half-plane; keep(lng) -> bool, edge at x."""
    test, edge = keep
    out = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        inside_now, inside_before = test(current[0]), test(previous[0])
        if inside_now != inside_before:
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside_now:
            out.append(current)
    return out


def split_ring(ring) -> list[list[tuple[float, float]]]:
    ring = unwrap(ring)
    turn = ring[-1][0] - ring[0][0]
    if abs(turn) > 180:  # around a pole: close the ring through it
        pole = -90.0 if sum(lat for _lng, lat in ring) < 0 else 90.0
        ring = ring + [(ring[-1][0], pole), (ring[0][0], pole)]
    parts = []
    for shift in (-360, 0, 360):
        moved = [(lng + shift, lat) for lng, lat in ring]
        low, high = min(p[0] for p in moved), max(p[0] for p in moved)
        if high <= -180 or low >= 180:
            continue
        piece = clip(moved, (lambda x: x >= -180, -180))
        piece = clip(piece, (lambda x: x <= 180, 180)) if piece else piece
        if len(piece) >= 3:
            parts.append(piece)
    return parts


def split_line(points):
    lines, current = [], [points[0]]
    for lng, lat in points[1:]:
        previous_lng, previous_lat = current[-1]
        if abs(lng - previous_lng) > 180:
            edge = 180 if previous_lng > 0 else -180
            far = lng + 360 if previous_lng > 0 else lng - 360
            t = (edge - previous_lng) / (far - previous_lng) if far != previous_lng else 0.0
            crossing = previous_lat + t * (lat - previous_lat)
            current.append((edge, crossing))
            lines.append(current)
            current = [(-edge, crossing)]
        current.append((lng, lat))
    lines.append(current)
    # Natural Earth's own cuts (meridian ±180 and the pole) are not coasts.
    kept = []
    for line in lines:
        segment: list = []
        for point in line:
            if segment and _is_cut(segment[-1], point):
                if len(segment) > 1:
                    kept.append(segment)
                segment = []
            segment.append(point)
        if len(segment) > 1:
            kept.append(segment)
    return kept


def _is_cut(a, b) -> bool:
    on_meridian = abs(abs(a[0]) - 180) < 0.01 and abs(abs(b[0]) - 180) < 0.01
    return on_meridian or (a[1] < -84 and b[1] < -84)


def _edges(ring):
    return zip(ring, ring[1:] + ring[:1], strict=True)


def area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(ring))) / 2


def inside(point, ring) -> bool:
    x, y = point
    result = False
    for (x0, y0), (x1, y1) in _edges(ring):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            result = not result
    return result


def edge_distance(point, ring) -> float:
    x, y = point
    best = math.inf
    for (x0, y0), (x1, y1) in _edges(ring):
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0, min(1, ((x - x0) * dx + (y - y0) * dy) / length))
        best = min(best, math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)))
    return best


def label_point(ring) -> tuple[float, float]:
    """A point far from the edges of the ring (a coarse pole of inaccessibility)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, best_distance = (sum(xs) / len(xs), sum(ys) / len(ys)), -1.0
    steps = 40
    for i in range(steps + 1):
        for j in range(steps + 1):
            point = (
                min(xs) + (max(xs) - min(xs)) * i / steps,
                min(ys) + (max(ys) - min(ys)) * j / steps,
            )
            if inside(point, ring):
                distance = edge_distance(point, ring)
                if distance > best_distance:
                    best, best_distance = point, distance
    return best


def rounded(points):
    out = []
    for lng, lat in points:
        point = [round(lng, 2), round(lat, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    uses: dict[int, int] = {}
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    key = index if index >= 0 else ~index
                    uses[key] = uses.get(key, 0) + 1
        parts = []
        for polygon in polygons:
            outer = split_ring(ring_of(polygon[0], arcs))
            holes = [h for ring in polygon[1:] for h in split_ring(ring_of(ring, arcs))]
            for piece in outer:
                parts.append([rounded(piece)] + [rounded(h) for h in holes if inside(h[0], piece)])
        if not parts:
            continue
        largest = max(parts, key=lambda p: area(p[0]))
        lng, lat = label_point([tuple(p) for p in largest[0]])
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "country",
                    "code": alpha2(
                        geometry.get("id"), geometry.get("properties", {}).get("name", "")
                    ),
                    "name": geometry.get("properties", {}).get("name", ""),
                    "label": [round(lat, 2), round(lng, 2)],
                    "area": round(area([tuple(p) for p in largest[0]]), 1),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": parts},
            }
        )
    for kind, count in (("coast", 1), ("border", 2)):
        lines = []
        for index, used in sorted(uses.items()):
            if used == count:
                lines.extend(rounded(line) for line in split_line(arcs[index]))
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": kind},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [line for line in lines if len(line) > 1],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    source = Path(sys.argv[1])
    OUT.write_text(json.dumps(build(json.loads(source.read_text())), separators=(",", ":")))
    print(f"{OUT}: {OUT.stat().st_size} bytes")
