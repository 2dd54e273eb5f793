"""Draw the map of the Baltic region for the shared screen from Natural Earth boundaries.

Writes `assets/maps/baltic.svg` (countries as paths with ids, the sea, labels) and
`assets/maps/baltic.json` (the projection, so the app can place markers at a latitude and
longitude). Standard library only; the app needs neither this script nor its data at run time.

The data: Natural Earth 1:10m Admin 0 countries (public domain), version 4.1.0, as TopoJSON in
the npm package `world-atlas` (2.0.2; packaging ISC, Mike Bostock). By default the script
fetches the package with npm into a temporary folder:

    python tools/make_map.py                          # runs `npm pack world-atlas@2.0.2`
    python tools/make_map.py --topojson countries-10m.json

Projection: equirectangular, longitudes scaled by cos(56° N) (the window's middle latitude), over
14–33° E, 51–61° N. Each shared border (a TopoJSON arc) is simplified once with Douglas–Peucker,
so neighbouring countries keep exactly the same border, then polygons are clipped to the window.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from xml.sax.saxutils import escape

from wargame.geo import Projection  # one projection for the tool and the app

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-10m.json"
REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "assets" / "maps"

Point = tuple[float, float]

SEA = "#bfdcf2"
LAND_FOCUS = "#f7f3e6"
LAND_OTHER = "#e3e3e3"
BORDER = "#3c3c3c"

# ISO 3166-1 numeric id -> short id used in the SVG; focus countries are drawn in the warmer tone.
COUNTRIES = {
    "233": ("EST", True),
    "428": ("LVA", True),
    "440": ("LTU", True),
    "616": ("POL", True),
    "112": ("BLR", True),
    "643": ("RUS", True),
    "246": ("FIN", False),
    "752": ("SWE", False),
    "208": ("DNK", False),
    "276": ("DEU", False),
    "203": ("CZE", False),
    "804": ("UKR", False),
    "703": ("SVK", False),
}

# Labels at (lon, lat): names only, placed by hand; every shape comes from the data.
COUNTRY_LABELS = (
    ("Estonia", 25.6, 58.72),
    ("Latvia", 25.9, 56.75),
    ("Lithuania", 24.0, 55.45),
    ("Poland", 18.6, 52.75),
    ("Belarus", 27.7, 53.2),
    ("Russia", 31.2, 56.2),
    ("Finland", 26.2, 60.75),
    ("Sweden", 15.9, 59.4),
    ("Ukraine", 28.0, 51.12),
)
REGION_LABELS = (
    ("Kaliningrad\n(Russia)", 21.55, 54.8),
    ("Leningrad oblast", 31.0, 59.3),
    ("Pskov oblast", 29.3, 57.3),
    ("Smolensk\noblast", 32.0, 55.0),
)
SEA_LABELS = (
    ("Baltic Sea", 18.2, 56.4),
    ("Gulf of Finland", 25.2, 59.85),
    ("Gulf of\nRiga", 23.45, 57.7),
)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The arcs of a quantized TopoJSON topology as (lon, lat) lists (delta-decoded)."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indices: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """One ring from its arc indices (a negative index ~i means arc i reversed)."""
    points: list[Point] = []
    for index in indices:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, keeping both end points (so shared borders stay shared)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, worst_distance = -1, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst_distance:
                worst, worst_distance = i, distance
        if worst >= 0:
            keep[worst] = True
            stack.extend(((first, worst), (worst, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def clip(points: Sequence[Point], left: float, top: float, right: float, bottom: float) -> list[Point]:
    """Sutherland–Hodgman: a closed ring clipped to a rectangle (y grows downwards)."""
    edges = (
        (lambda p: p[0] >= left, lambda p, q: _at_x(p, q, left)),
        (lambda p: p[0] <= right, lambda p, q: _at_x(p, q, right)),
        (lambda p: p[1] >= top, lambda p, q: _at_y(p, q, top)),
        (lambda p: p[1] <= bottom, lambda p, q: _at_y(p, q, bottom)),
    )
    result = list(points)
    for inside, cross in edges:
        if not result:
            break
        source, result = result, []
        previous = source[-1]
        for current in source:
            if inside(current):
                if not inside(previous):
                    result.append(cross(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(cross(previous, current))
            previous = current
    return result


def _at_x(p: Point, q: Point, x: float) -> Point:
    return x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])


def _at_y(p: Point, q: Point, y: float) -> Point:
    return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y


def path_data(rings: Iterable[Sequence[Point]]) -> str:
    """SVG path data, one decimal, relative moves after the first point of each ring (smaller file)."""
    parts = []
    for ring in rings:
        x0, y0 = round(ring[0][0], 1), round(ring[0][1], 1)
        steps = [f"M{x0:g} {y0:g}"]
        px, py = x0, y0
        deltas = []
        for x, y in ring[1:]:
            rx, ry = round(x, 1), round(y, 1)
            dx, dy = round(rx - px, 1), round(ry - py, 1)
            if dx or dy:
                deltas.append(f"{dx:g} {dy:g}")
                px, py = rx, ry
        if deltas:
            steps.append("l" + " ".join(deltas))
        parts.append("".join(steps) + "z")
    return "".join(parts)


def build_svg(topology: dict, projection: Projection, tolerance: float = 0.35) -> str:
    """The map as SVG text."""
    arcs = decode_arcs(topology)
    projected: dict[int, list[Point]] = {}

    def arc(index: int) -> list[Point]:
        if index not in projected:
            projected[index] = simplify([projection.project(*p) for p in arcs[index]], tolerance)
        return projected[index]

    margin = 8.0
    box = (-margin, -margin, projection.width + margin, projection.height + margin)
    lon_pad, lat_pad = 3.0, 2.0
    shapes: list[str] = []
    geometries = topology["objects"]["countries"]["geometries"]
    for geometry in geometries:
        known = COUNTRIES.get(str(geometry.get("id")))
        if known is None:
            continue
        short, focus = known
        pieces: dict[str, list[list[Point]]] = {}
        for polygon in polygons_of(geometry):
            outer_lonlat = ring_points(polygon[0], arcs)
            lons = [p[0] for p in outer_lonlat]
            lats = [p[1] for p in outer_lonlat]
            if (
                max(lons) < projection.lon_min - lon_pad
                or min(lons) > projection.lon_max + lon_pad
                or max(lats) < projection.lat_min - lat_pad
                or min(lats) > projection.lat_max + lat_pad
            ):
                continue
            # Kaliningrad is Russia's exclave: its own path, so the app or a stylesheet can find it.
            part = "RUS-kaliningrad" if short == "RUS" and max(lons) < 23 else short
            for ring_arcs in polygon:
                ring: list[Point] = []
                for index in ring_arcs:
                    points = arc(index) if index >= 0 else list(reversed(arc(~index)))
                    ring.extend(points[1:] if ring else points)
                clipped = clip(ring, *box)
                if len(clipped) >= 3:
                    pieces.setdefault(part, []).append(clipped)
        fill = LAND_FOCUS if focus else LAND_OTHER
        name = escape(str(geometry["properties"]["name"]))
        for part, rings in pieces.items():
            title = f"{name} (Kaliningrad oblast)" if part == "RUS-kaliningrad" else name
            shapes.append(
                f'<path id="{part}" class="country" fill="{fill}" d="{path_data(rings)}">'
                f"<title>{title}</title></path>"
            )
    labels: list[str] = []
    for text, lon, lat, style in (
        *((t, lo, la, "country") for t, lo, la in COUNTRY_LABELS),
        *((t, lo, la, "region") for t, lo, la in REGION_LABELS),
        *((t, lo, la, "sea") for t, lo, la in SEA_LABELS),
    ):
        x, y = projection.project(lon, lat)
        labels.append(_label(text, x, y, style))
    width, height = projection.width, projection.height
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}">\n'
        "<title>The Baltic region</title>\n"
        "<desc>Natural Earth 1:10m Admin 0 countries, v4.1.0 (public domain), via the npm package "
        f"world-atlas 2.0.2. Equirectangular projection, x scaled by cos({projection.lat0:g}°), "
        f"{projection.lon_min:g}–{projection.lon_max:g}° E, {projection.lat_min:g}–"
        f"{projection.lat_max:g}° N. Generated by tools/make_map.py.</desc>\n"
        f'<rect id="sea" x="0" y="0" width="{width:g}" height="{height:g}" fill="{SEA}"/>\n'
        f'<g id="countries" stroke="{BORDER}" stroke-width="1.1" stroke-linejoin="round">\n'
        + "\n".join(shapes)
        + '\n</g>\n<g id="labels" font-family="sans-serif">\n'
        + "\n".join(labels)
        + "\n</g>\n</svg>\n"
    )


def _label(text: str, x: float, y: float, style: str) -> str:
    """A label centred on (x, y); a newline in `text` gives a second line below."""
    size, attributes = {
        "country": (30, 'font-weight="bold" fill="#2b2b2b"'),
        "region": (19, 'font-style="italic" fill="#4a4a4a"'),
        "sea": (24, 'font-style="italic" fill="#1d4f7a"'),
    }[style]
    return "".join(
        f'<text class="{style}" x="{x:.1f}" y="{y + line * size * 1.1:.1f}" text-anchor="middle" '
        f'font-size="{size}" {attributes}>{escape(part)}</text>'
        for line, part in enumerate(text.split("\n"))
    )


def fetch_topology(work: Path) -> Path:
    """`npm pack` the world-atlas package into `work` and extract the 1:10m countries."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, capture_output=True)
    tarball = next(work.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.getmember(MEMBER)
        archive.extract(member, work, filter="data")
    return work / MEMBER


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="countries-10m.json (default: npm pack it)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (assets/maps)")
    parser.add_argument("--width", type=float, default=1000.0, help="SVG width in user units")
    args = parser.parse_args(argv)
    projection = Projection.window(14.0, 33.0, 51.0, 61.0, args.width)
    with tempfile.TemporaryDirectory(prefix="make-map-") as scratch:
        source = args.topojson or fetch_topology(Path(scratch))
        topology = json.loads(source.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    svg = build_svg(topology, projection)
    (args.out / "baltic.svg").write_text(svg, encoding="utf-8")
    sidecar = {
        "svg": "baltic.svg",
        "source": "Natural Earth 1:10m Admin 0 countries v4.1.0 (public domain), npm world-atlas 2.0.2",
        "projection": asdict(projection),
        "formula": "x = (lon - lon_min) * cos(radians(lat0)) * units_per_degree; "
        "y = (lat_max - lat) * units_per_degree",
    }
    (args.out / "baltic.json").write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'baltic.svg'} ({len(svg.encode()) // 1024} KB) and baltic.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
