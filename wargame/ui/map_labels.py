"""Where the map's marker labels go: clear of the names the map prints, of the markers and of
each other, as far as they can be."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from wargame.ui.qt import QtCore


@dataclass(frozen=True)
class MapText:
    """A name printed on the map (a country, region or sea), in the SVG's units."""

    text: str
    x: float
    y: float  # the baseline
    size: float
    anchor: str  # "start", "middle" or "end"
    bold: bool
    italic: bool


def map_texts(svg: Path) -> list[MapText]:
    """The names the map prints, so that marker labels can keep clear of them."""
    texts = []
    for element in ET.parse(svg).iter("{http://www.w3.org/2000/svg}text"):
        texts.append(
            MapText(
                text="".join(element.itertext()).strip(),
                x=float(element.get("x", 0)),
                y=float(element.get("y", 0)),
                size=float(element.get("font-size", 16)),
                anchor=element.get("text-anchor", "start"),
                bold=element.get("font-weight") == "bold",
                italic=element.get("font-style") == "italic",
            )
        )
    return [text for text in texts if text.text]


# Label positions tried around a marker, in order of preference, as (dx, dy) in units of the
# label's own size and the marker's clearance: above, below, right, left, then the diagonals.
_AROUND = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))
# What covering something costs, per square pixel: another marker's label hides what it says,
# a marker hides a place, a name printed on the map stays readable around the label.
LABEL_COST, MARKER_COST, MAP_TEXT_COST = 4.0, 3.0, 1.0


def place_label(
    size: QtCore.QSizeF,
    point: QtCore.QPointF,
    clearance: float,
    bounds: QtCore.QRectF,
    obstacles: list[tuple[QtCore.QRectF, float]],
) -> QtCore.QRectF:
    """Where a label of `size` for a marker at `point` covers the least of `obstacles`.

    Each obstacle is a rectangle and what covering it costs per square pixel. The label keeps
    `clearance` from the point and stays inside `bounds`; it tries the places around the marker
    first, then farther ones above and below it (a pile of markers at the map's edge), each step
    away costing as much as covering a square of the label's height.
    """
    candidates = []
    for dx, dy in _AROUND:
        box = QtCore.QRectF(QtCore.QPointF(0, 0), size)
        box.moveCenter(point)
        if dx:
            box.moveLeft(point.x() + clearance if dx > 0 else point.x() - clearance - size.width())
        if dy:
            box.moveTop(point.y() + clearance if dy > 0 else point.y() - clearance - size.height())
        candidates.append((box, 0.0))
    step = size.height() + 4
    for farther in range(1, 9):
        for dy in (-1, 1):
            box = QtCore.QRectF(candidates[0 if dy < 0 else 1][0])
            box.translate(0, dy * farther * step)
            candidates.append((box, farther * step * size.height()))  # as covering its own height
    reach = clearance - 1  # kept inside `bounds`, a label could come over its own marker
    own = QtCore.QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach)
    placed = [(_kept_inside(box, bounds), away) for box, away in candidates]
    # Only what the candidates could cover counts, as plain numbers: a reveal places some fifty
    # labels among a hundred obstacles, and Qt's rectangle calls made that cost ~7 ms.
    area = _edges(placed[0][0])
    for box, _ in placed[1:]:
        left, top, right, bottom = _edges(box)
        area = (min(area[0], left), min(area[1], top), max(area[2], right), max(area[3], bottom))
    near = [
        (edges, weight)
        for edges, weight in ((_edges(rect), weight) for rect, weight in [*obstacles, (own, MARKER_COST)])
        if _overlap(area, edges) > 0
    ]
    best: QtCore.QRectF | None = None
    best_cost = math.inf
    for box, away in placed:
        edges = _edges(box)
        cost = away + sum(_overlap(edges, other) * weight for other, weight in near)
        if cost < best_cost:
            best, best_cost = box, cost
        if cost == 0:
            break
    assert best is not None
    return best


Edges = tuple[float, float, float, float]  # left, top, right, bottom


def _edges(box: QtCore.QRectF) -> Edges:
    return box.left(), box.top(), box.right(), box.bottom()


def _kept_inside(box: QtCore.QRectF, bounds: QtCore.QRectF) -> QtCore.QRectF:
    box = QtCore.QRectF(box)
    box.moveLeft(min(max(box.left(), bounds.left() + 2), bounds.right() - box.width() - 2))
    box.moveTop(min(max(box.top(), bounds.top() + 2), bounds.bottom() - box.height() - 2))
    return box


def _overlap(a: Edges, b: Edges) -> float:
    """The area two rectangles have in common."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def nearest_point(box: QtCore.QRectF, point: QtCore.QPointF) -> QtCore.QPointF:
    return QtCore.QPointF(
        min(max(point.x(), box.left()), box.right()), min(max(point.y(), box.top()), box.bottom())
    )


def touches(box: QtCore.QRectF, point: QtCore.QPointF, distance: float) -> bool:
    nearest = nearest_point(box, point)
    return math.hypot(nearest.x() - point.x(), nearest.y() - point.y()) <= distance
