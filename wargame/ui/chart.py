"""The escalation index over the turns (QtCharts), with the injects marked."""

from __future__ import annotations

import math
from collections.abc import Sequence

from wargame.deck.models import Deck
from wargame.engine.state import IndexPoint, State
from wargame.report.svg_chart import index_range, spread_turn, tick_step
from wargame.ui.qt import QtCharts, QtCore, QtGui


class ChartPoints:
    """The chart's points (`wargame.report.svg_chart.chart_points`) kept up to date as a history
    grows: a turn's points spread between turn - 1 and turn (`spread_turn`), so only the turns
    that got new points are spread again. A reveal adds points to one turn of a hundred."""

    def __init__(self, phases: Sequence[str]) -> None:
        self.phases = phases  # the deck's phases: each has its share of a turn
        self._history: list[IndexPoint] | None = None
        self._length = 0
        self._by_turn: dict[int, list[IndexPoint]] = {}
        self._spread: dict[int, tuple[list[QtCore.QPointF], list[QtCore.QPointF]]] = {}

    def update(self, history: list[IndexPoint]) -> bool:
        """Take in `history`; False when the points are those of the last call."""
        if history is not self._history or len(history) < self._length:
            self._history, self._length = history, 0  # another state (undo, a new session)
            self._by_turn, self._spread = {}, {}
        new = history[self._length :]
        self._length = len(history)
        if not new and self._spread:
            return False
        for point in new:
            self._by_turn.setdefault(point.turn, []).append(point)
        for turn in {point.turn for point in new}:
            spread = spread_turn(turn, self._by_turn[turn], self.phases)
            self._spread[turn] = (
                [QtCore.QPointF(x, point.index) for x, point in spread],
                [QtCore.QPointF(x, point.index) for x, point in spread if point.cause.startswith("card:")],
            )
        return True

    def line(self) -> list[QtCore.QPointF]:
        return [point for turn in sorted(self._spread) for point in self._spread[turn][0]]

    def cards(self) -> list[QtCore.QPointF]:
        return [point for turn in sorted(self._spread) for point in self._spread[turn][1]]


def show_turns(axis: QtCharts.QValueAxis, last_turn: int) -> None:
    """An x axis of turns from 0 to `last_turn`, labelled every `tick_step` turns, with room for
    a marker at either end (the start's point, the last turn's)."""
    room = last_turn * 0.03
    axis.setRange(-room, last_turn + room)
    axis.setTickType(QtCharts.QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(tick_step(last_turn))
    axis.setTruncateLabels(False)  # the last turn's label sits at the edge: "100" was cut to "1…"


INDEX_STEPS = (1, 2, 2.5, 5)  # times a power of ten


def index_step(span: float, labels: int) -> float:
    """A round step between the index axis's labels giving at most `labels` labels over `span`."""
    wanted = max(span / max(labels - 1, 1), 1)
    power = 10 ** math.floor(math.log10(wanted))
    steps = [step * power for step in INDEX_STEPS if float(step * power).is_integer()]  # labels are "%d"
    return next((step for step in steps if step >= wanted), 10 * power)


def show_index(axis: QtCharts.QValueAxis, deck: Deck, labels: int = 5) -> None:
    """A y axis over the deck's index range with room for a marker at either end (a point at
    the maximum was cut in half by the plot's edge), labelled at round values."""
    low, high = index_range(deck)
    span = (high - low) or 1.0
    room = span * 0.05
    axis.setRange(low - room, high + room)
    axis.setTickType(QtCharts.QValueAxis.TickType.TicksDynamic)
    step = index_step(span, labels)
    axis.setTickAnchor(math.ceil(low / step) * step)  # labels at multiples of the step
    axis.setTickInterval(step)


class IndexChart(QtCharts.QChartView):
    """Line of the index over the session; a marker for every injected card."""

    def __init__(self, deck: Deck, turn_count: int) -> None:
        super().__init__()
        self.deck = deck
        self._points = ChartPoints(deck.phase_ids)
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
        show_index(self.y_axis, deck)
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
        show_turns(self.x_axis, max(turn_count, 1))

    def update_from(self, state: State) -> None:
        turns_changed = state.turn_count != self._turn_count
        if not self._points.update(state.history) and not turns_changed:
            return  # a note, a move before the reveal: nothing on the chart changed
        self._turn_count = state.turn_count
        self.line.replace(self._points.line())
        self.cards.replace(self._points.cards())
        self.set_turn_count(state.turn_count)
