"""The map of the crisis on the shared screen: the generated SVG and a marker per injected card.

The map (`assets/maps/baltic.svg`) and its projection (`baltic.json`) come from
`tools/make_map.py`; nothing here needs the network or the tool's data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wargame.deck.models import Deck, Place
from wargame.engine.state import State
from wargame.geo import Projection
from wargame.ui.qt import QtCore, QtGui, QtSvg, QtWidgets
from wargame.ui.style import assets_dir

NEWEST = "#d55e00"  # Okabe–Ito vermillion, with a black outline and a text label
OLDER = "#3a3a3a"
NO_MARKER = "No card with a place yet"


@dataclass(frozen=True)
class Marker:
    """An injected card with a place: where, which card, and whether it is the newest."""

    place: Place
    card_title: str
    turn: int
    newest: bool


def markers_of(deck: Deck, state: State) -> list[Marker]:
    """A marker for every injected card that has a place, oldest first; the last is the newest."""
    placed = [(i, deck.card(i.card)) for i in state.injections]
    placed = [(i, card) for i, card in placed if card.place is not None]
    places = {place.id: place for place in deck.places}
    markers = []
    for position, (injection, card) in enumerate(placed):
        place = places.get(card.place or "")
        if place is not None:
            markers.append(Marker(place, card.title, injection.turn, position == len(placed) - 1))
    return markers


def short_name(place: Place) -> str:
    """'Narva, on the Estonian–Russian border' → 'Narva'; the full name stays in the tooltip."""
    return place.name.split(",")[0].split(" (")[0].strip()


class MapView(QtWidgets.QWidget):
    """The Baltic map with the injected cards' places; the newest highlighted and labelled."""

    def __init__(self, deck: Deck, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.deck = deck
        folder = assets_dir() / "maps"
        self.renderer = QtSvg.QSvgRenderer(str(folder / "baltic.svg"), self)
        self.projection = Projection.load(folder / "baltic.json")
        self.markers: list[Marker] = []
        self._background: QtGui.QPixmap | None = None  # the map drawn at the widget's size
        self.setMinimumSize(200, 180)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Map of the Baltic region")
        self.setToolTip(NO_MARKER)

    def update_from(self, state: State) -> None:
        markers = markers_of(self.deck, state)
        if markers == self.markers:
            return  # no new card with a place: nothing to draw again (most commands)
        self.markers = markers
        newest = next((m for m in self.markers if m.newest), None)
        self.setToolTip(f"Newest: {newest.card_title} — {newest.place.name}" if newest else NO_MARKER)
        self.update()

    def map_rect(self) -> QtCore.QRectF:
        """Where the map is drawn: as large as fits, its aspect kept, centred."""
        width, height = self.projection.width, self.projection.height
        scale = min(self.width() / width, self.height() / height)
        drawn = QtCore.QSizeF(width * scale, height * scale)
        left = (self.width() - drawn.width()) / 2
        top = (self.height() - drawn.height()) / 2
        return QtCore.QRectF(QtCore.QPointF(left, top), drawn)

    def marker_point(self, place: Place) -> tuple[QtCore.QPointF, bool]:
        """A place's point in the widget, and whether it lies on the map (else it is at the edge)."""
        rect = self.map_rect()
        x, y = self.projection.project(place.lon, place.lat)
        inside = self.projection.contains(place.lon, place.lat)
        x = min(max(x, 0.0), self.projection.width)
        y = min(max(y, 0.0), self.projection.height)
        scale = rect.width() / self.projection.width
        return QtCore.QPointF(rect.left() + x * scale, rect.top() + y * scale), inside

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        rect = self.map_rect()
        painter.drawPixmap(0, 0, self._map_pixmap())
        painter.setPen(QtGui.QPen(QtGui.QColor("#111111"), 2))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        size = max(rect.height() / 34, 10.0)
        # One marker per place (the newest card there decides its look), older ones first.
        by_place: dict[str, list[Marker]] = {}
        for marker in self.markers:
            by_place.setdefault(marker.place.id, []).append(marker)
        ordered = sorted(by_place.values(), key=lambda group: any(m.newest for m in group))
        for group in ordered:
            self._draw_marker(painter, group, size)
        painter.end()

    def _map_pixmap(self) -> QtGui.QPixmap:
        """The map rendered once per size and pixel ratio: rendering the SVG took most of a repaint."""
        ratio = self.devicePixelRatioF()
        wanted = QtCore.QSize(round(self.width() * ratio), round(self.height() * ratio))
        background = self._background
        if background is None or background.size() != wanted or background.devicePixelRatio() != ratio:
            background = QtGui.QPixmap(wanted)
            background.setDevicePixelRatio(ratio)
            background.fill(QtCore.Qt.GlobalColor.transparent)
            painter = QtGui.QPainter(background)
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            self.renderer.render(painter, self.map_rect())
            painter.end()
            self._background = background
        return background

    def _draw_marker(self, painter: QtGui.QPainter, group: list[Marker], size: float) -> None:
        newest = any(m.newest for m in group)
        place = group[0].place
        point, inside = self.marker_point(place)
        radius = size * (0.75 if newest else 0.4)
        painter.setPen(QtGui.QPen(QtGui.QColor("#000000"), max(size / 7, 1.5)))
        painter.setBrush(QtGui.QColor(NEWEST if newest else OLDER))
        if inside:
            painter.drawEllipse(point, radius, radius)
            if newest:
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                painter.drawEllipse(point, radius * 1.7, radius * 1.7)
        else:
            self._draw_edge_arrow(painter, point, radius * 1.4)
        count = f" ×{len(group)}" if len(group) > 1 else ""
        text = ("NEW: " if newest else "") + short_name(place) + count + ("" if inside else " (off map)")
        font = QtGui.QFont(self.font())
        font.setPixelSize(round(size * (1.0 if newest else 0.72)))
        font.setBold(newest)
        painter.setFont(font)
        metrics = QtGui.QFontMetricsF(font)
        box = metrics.boundingRect(text).adjusted(-6, -2, 6, 2)
        box.moveCenter(point)
        box.moveBottom(point.y() - radius * (1.9 if newest else 1.3))
        rect = self.map_rect()
        box.moveLeft(min(max(box.left(), rect.left() + 2), rect.right() - box.width() - 2))
        if box.top() < rect.top() + 2:  # no room above: below the marker instead
            box.moveTop(point.y() + radius * 1.9)
        painter.setPen(QtGui.QPen(QtGui.QColor(NEWEST if newest else OLDER), 2 if newest else 1))
        painter.setBrush(QtGui.QColor(255, 255, 255, 235))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QtGui.QColor("#111111"))
        painter.drawText(box, int(QtCore.Qt.AlignmentFlag.AlignCenter), text)

    def _draw_edge_arrow(self, painter: QtGui.QPainter, point: QtCore.QPointF, size: float) -> None:
        """A place off the map: a triangle at the edge pointing towards it."""
        rect = self.map_rect()
        dx = -1 if point.x() <= rect.left() + 1 else 1 if point.x() >= rect.right() - 1 else 0
        dy = -1 if point.y() <= rect.top() + 1 else 1 if point.y() >= rect.bottom() - 1 else 0
        length = math.hypot(dx, dy) or 1
        ux, uy = dx / length, dy / length
        tip = QtCore.QPointF(point.x() - ux * size * 0.2, point.y() - uy * size * 0.2)
        base = QtCore.QPointF(tip.x() - ux * size * 1.6, tip.y() - uy * size * 1.6)
        side = QtCore.QPointF(-uy * size * 0.8, ux * size * 0.8)
        painter.drawPolygon(QtGui.QPolygonF([tip, base + side, base - side]))
