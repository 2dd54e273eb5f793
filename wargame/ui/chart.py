"""The escalation index over the turns (QtCharts), with the injects marked."""

from __future__ import annotations

from wargame.deck.models import Deck
from wargame.engine.state import IndexPoint, State
from wargame.ui.qt import QtCharts, QtCore, QtGui


def chart_points(history: list[IndexPoint]) -> list[tuple[float, float, str]]:
    """(x, index, cause) per history point; x spreads a turn's points between turn and turn + 1."""
    by_turn: dict[int, list[IndexPoint]] = {}
    for point in history:
        by_turn.setdefault(point.turn, []).append(point)
    points: list[tuple[float, float, str]] = []
    for turn, items in sorted(by_turn.items()):
        for position, point in enumerate(items):
            points.append((turn + position / max(len(items), 1), point.index, point.cause))
    return points


class IndexChart(QtCharts.QChartView):
    """Line of the index over the session; a marker for every injected card."""

    def __init__(self, deck: Deck, turn_count: int) -> None:
        super().__init__()
        self.deck = deck
        self._points: list[tuple[float, float, str]] | None = None
        self._history: tuple[list[IndexPoint], int] | None = None  # the history last drawn, and its length
        self._turn_count = turn_count
        self.line = QtCharts.QLineSeries()
        self.line.setName("Escalation index")
        self.cards = QtCharts.QScatterSeries()
        self.cards.setName("Inject")
        self.cards.setMarkerSize(11)
        self.cards.setColor(QtGui.QColor("#b8860b"))
        chart = QtCharts.QChart()
        chart.addSeries(self.line)
        chart.addSeries(self.cards)
        chart.legend().setAlignment(QtCore.Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QtCore.QMargins(4, 4, 4, 4))
        self.x_axis = QtCharts.QValueAxis()
        self.x_axis.setTitleText("Turn")
        self.x_axis.setLabelFormat("%d")
        self.y_axis = QtCharts.QValueAxis()
        self.y_axis.setTitleText("Index")
        self.y_axis.setLabelFormat("%d")
        low = deck.escalation.min if deck.escalation.min is not None else -50
        high = deck.escalation.max if deck.escalation.max is not None else 100
        self.y_axis.setRange(low, high)
        chart.addAxis(self.x_axis, QtCore.Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, QtCore.Qt.AlignmentFlag.AlignLeft)
        for series in (self.line, self.cards):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.set_turn_count(turn_count)
        self.setChart(chart)
        self.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)

    def set_turn_count(self, turn_count: int) -> None:
        self.x_axis.setRange(0, max(turn_count, 1) + 1)
        self.x_axis.setTickCount(max(turn_count, 1) + 2)

    def update_from(self, state: State) -> None:
        drawn = (state.history, len(state.history))
        last = self._history
        same = last is not None and drawn[0] is last[0] and drawn[1] == last[1]
        if same and state.turn_count == self._turn_count:
            return  # the same history, no longer (it is only ever appended to): nothing to redraw
        self._history = drawn
        points = chart_points(state.history)
        if points == self._points and state.turn_count == self._turn_count:
            return  # a note, a move before the reveal: nothing on the chart changed
        self._points, self._turn_count = points, state.turn_count
        self.line.replace([QtCore.QPointF(x, y) for x, y, _ in points])
        self.cards.replace([QtCore.QPointF(x, y) for x, y, cause in points if cause.startswith("card:")])
        self.set_turn_count(state.turn_count)
