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
from wargame.ui.map_labels import (
    LABEL_COST,
    MAP_TEXT_COST,
    MARKER_COST,
    map_texts,
    nearest_point,
    place_label,
    touches,
)
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


Labelled = tuple[list[Marker], QtCore.QRectF]  # a place's markers, and where their label goes


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
        self.texts = map_texts(folder / "baltic.svg")
        self.markers: list[Marker] = []
        self._background: QtGui.QPixmap | None = None  # the map drawn at its size in the widget
        # labels(): the key they were placed for, the map's corner then, the placed labels
        self._placed: tuple[tuple[QtCore.QSizeF, list[Marker]], QtCore.QPointF, list[Labelled]] | None = None
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
        painter.drawPixmap(rect.topLeft(), self._map_pixmap())
        painter.setPen(QtGui.QPen(QtGui.QColor("#111111"), 2))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        size = self._marker_size()
        for group, label in reversed(self.labels()):  # the newest on top
            self._draw_marker(painter, group, size, label)
        painter.end()

    def _marker_size(self) -> float:
        return max(self.map_rect().height() / 34, 10.0)

    def labels(self) -> list[Labelled]:
        """The markers grouped by spot (`_spot`; the newest card there decides the look), newest
        first, with where their labels go; worked out again when the markers or the map's size
        change (the map only moving in the widget, as the shared screen's entry bar comes and
        goes, moves them with it)."""
        rect = self.map_rect()
        key = (rect.size(), self.markers)
        if self._placed is None or self._placed[0] != key:
            by_spot: dict[object, list[Marker]] = {}
            for marker in self.markers:
                by_spot.setdefault(self._spot(marker), []).append(marker)
            groups = sorted(by_spot.values(), key=lambda group: not _has_newest(group))
            placed = list(zip(groups, self._place_labels(groups), strict=True))
            self._placed = (key, rect.topLeft(), placed)
        _, origin, placed = self._placed
        if origin != rect.topLeft():
            offset = rect.topLeft() - origin
            placed = [(group, label.translated(offset)) for group, label in placed]
            self._placed = (key, rect.topLeft(), placed)
        return placed

    def _spot(self, marker: Marker) -> object:
        """Markers with one spot share one marker and one label: a place's cards; and places off
        the map at the same point of its edge (New York and Brussels at its south-west corner),
        the newest card apart from the others."""
        place = marker.place
        if self.projection.contains(place.lon, place.lat):
            return place.id
        x, y = self.projection.project(place.lon, place.lat)
        width, height = self.projection.width, self.projection.height
        return (round(min(max(x, 0.0), width)), round(min(max(y, 0.0), height)), marker.newest)

    def map_text_rects(self) -> list[QtCore.QRectF]:
        """Where the map's printed names are in the widget (approximately: Qt's measure of them)."""
        rect = self.map_rect()
        scale = rect.width() / self.projection.width
        boxes = []
        for text in self.texts:
            font = QtGui.QFont(self.font())
            font.setPixelSize(max(round(text.size * scale), 1))
            font.setBold(text.bold)
            font.setItalic(text.italic)
            metrics = QtGui.QFontMetricsF(font)
            width = metrics.horizontalAdvance(text.text)
            left = text.x * scale - {"middle": width / 2, "end": width}.get(text.anchor, 0.0)
            box = QtCore.QRectF(left, text.y * scale - metrics.ascent(), width, metrics.height())
            boxes.append(box.translated(rect.topLeft()))
        return boxes

    def _place_labels(self, groups: list[list[Marker]]) -> list[QtCore.QRectF]:
        """Each group's label box, in order: each keeps clear of the map's names, the markers and
        the labels placed before it as best it can."""
        rect, size = self.map_rect(), self._marker_size()
        points = [self.marker_point(group[0].place) for group in groups]
        obstacles = [(box, MAP_TEXT_COST) for box in self.map_text_rects()]
        for (point, inside), group in zip(points, groups, strict=True):
            reach = _reach(size, _has_newest(group), inside)
            obstacles.append(
                (QtCore.QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach), MARKER_COST)
            )
        labels = []
        for group, (point, inside) in zip(groups, points, strict=True):
            newest = _has_newest(group)
            metrics = QtGui.QFontMetricsF(self._label_font(size, newest))
            text = self._label_text(group, inside)
            box = metrics.boundingRect(text).adjusted(-6, -2, 6, 2)
            clearance = _reach(size, newest, inside) + 4
            label = place_label(box.size(), point, clearance, rect, obstacles)
            obstacles.append((label, LABEL_COST))
            labels.append(label)
        return labels

    def _label_font(self, size: float, newest: bool) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPixelSize(round(size * (1.0 if newest else 0.72)))
        font.setBold(newest)
        return font

    @staticmethod
    def _label_text(group: list[Marker], inside: bool) -> str:
        newest = _has_newest(group)
        names = list(dict.fromkeys(short_name(marker.place) for marker in group))
        count = f" ×{len(group)}" if len(group) > 1 and len(names) == 1 else ""
        return ("NEW: " if newest else "") + ", ".join(names) + count + ("" if inside else " (off map)")

    def _map_pixmap(self) -> QtGui.QPixmap:
        """The map rendered once per size and pixel ratio (drawn at `map_rect`'s corner): rendering
        the SVG took most of a repaint."""
        ratio = self.devicePixelRatioF()
        drawn = self.map_rect().size()
        wanted = QtCore.QSize(round(drawn.width() * ratio), round(drawn.height() * ratio))
        background = self._background
        if background is None or background.size() != wanted or background.devicePixelRatio() != ratio:
            background = QtGui.QPixmap(wanted)
            background.setDevicePixelRatio(ratio)
            background.fill(QtCore.Qt.GlobalColor.transparent)
            painter = QtGui.QPainter(background)
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            self.renderer.render(painter, QtCore.QRectF(QtCore.QPointF(0, 0), drawn))
            painter.end()
            self._background = background
        return background

    def _draw_marker(
        self, painter: QtGui.QPainter, group: list[Marker], size: float, label: QtCore.QRectF
    ) -> None:
        newest = _has_newest(group)
        point, inside = self.marker_point(group[0].place)
        radius = _radius(size, newest)
        colour = QtGui.QColor(NEWEST if newest else OLDER)
        if not touches(label, point, _reach(size, newest, inside) + 8):  # moved away: a line to it
            painter.setPen(QtGui.QPen(colour, 2 if newest else 1))
            painter.drawLine(point, nearest_point(label, point))
        painter.setPen(QtGui.QPen(QtGui.QColor("#000000"), max(size / 7, 1.5)))
        painter.setBrush(colour)
        if inside:
            painter.drawEllipse(point, radius, radius)
            if newest:
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                painter.drawEllipse(point, radius * _RING, radius * _RING)
        else:
            self._draw_edge_arrow(painter, point, radius * _ARROW)
        painter.setFont(self._label_font(size, newest))
        painter.setPen(QtGui.QPen(colour, 2 if newest else 1))
        painter.setBrush(QtGui.QColor(255, 255, 255, 235))
        painter.drawRoundedRect(label, 4, 4)
        painter.setPen(QtGui.QColor("#111111"))
        painter.drawText(label, int(QtCore.Qt.AlignmentFlag.AlignCenter), self._label_text(group, inside))

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


_ARROW = 1.4  # an off-map marker's arrow, in its radius; it reaches 1.8 times that inwards
_RING = 1.7  # the ring round the newest marker, in its radius


def _has_newest(group: list[Marker]) -> bool:
    """Whether the newest card is among a spot's markers (which then look and read as new)."""
    return any(marker.newest for marker in group)


def _radius(size: float, newest: bool) -> float:
    return size * (0.75 if newest else 0.4)


def _reach(size: float, newest: bool, inside: bool) -> float:
    """How far a marker's drawing reaches from its point (its dot and ring, or its arrow)."""
    radius = _radius(size, newest)
    if not inside:
        return radius * _ARROW * 1.8
    return radius * _RING if newest else radius
