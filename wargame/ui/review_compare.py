"""Comparing several sessions of one deck: outcomes, every escalation curve on one chart, and the
cards and actions that preceded the largest rises (computed by `wargame.report.compare`)."""

from __future__ import annotations

import html

from wargame.report import Comparison, Replay, compare
from wargame.ui.chart import show_index, show_turns
from wargame.ui.qt import QtCharts, QtCore, QtGui, QtWidgets, plain_label
from wargame.ui.review_replay import fill_table, make_table

CURVE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


class CompareView(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.title = plain_label(
            "Select several sessions of the same deck in the Sessions tab, then “Compare selected”."
        )
        self.title.setObjectName("subtitle")
        self.title.setWordWrap(True)
        self.outcomes = make_table(("Outcome", "Sessions"), stretch=0)
        self.rises = make_table(("Rise", "Session", "Turn", "Cause", "Earlier that turn"), stretch=4)
        self.preceding = make_table(("Card or action", "Rises it preceded"), stretch=0)
        for table in (self.outcomes, self.rises, self.preceding):
            table.setWordWrap(False)
        self.chart_view = QtCharts.QChartView()
        self.chart_view.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(QtWidgets.QLabel("Outcomes"))
        left.addWidget(self.outcomes, 1)
        left.addWidget(QtWidgets.QLabel("What preceded the largest rises"))
        left.addWidget(self.preceding, 2)
        top = QtWidgets.QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.chart_view, 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top, 3)
        layout.addWidget(QtWidgets.QLabel("The largest rises of the index"))
        layout.addWidget(self.rises, 2)

    def set_replays(self, replays: list[Replay]) -> Comparison:
        """Compare the sessions (WargameError if they are not of one deck)."""
        comparison = compare(replays)
        self.comparison = comparison
        self.title.setText(
            f"{comparison.sessions} sessions of {comparison.deck_title} ({comparison.deck_id})"
        )
        fill_table(self.outcomes, [(title, str(count)) for title, count in comparison.outcomes.items()])
        fill_table(self.preceding, [(label, str(count)) for label, count in comparison.preceding])
        labels = {curve.session_id: curve.label for curve in comparison.curves}
        fill_table(
            self.rises,
            [
                (f"+{r.delta:g}", labels[r.session_id], str(r.turn), r.cause, " → ".join(r.preceded))
                for r in comparison.rises
            ],
        )
        chart = QtCharts.QChart()
        chart.legend().setAlignment(QtCore.Qt.AlignmentFlag.AlignBottom)
        x_axis = QtCharts.QValueAxis()
        x_axis.setTitleText("Turn")
        x_axis.setLabelFormat("%d")
        y_axis = QtCharts.QValueAxis()
        y_axis.setTitleText("Index")
        y_axis.setLabelFormat("%d")
        show_index(y_axis, replays[0].deck)
        turns = max(replay.state.turn_count for replay in replays)
        show_turns(x_axis, max(turns, 1))
        chart.addAxis(x_axis, QtCore.Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, QtCore.Qt.AlignmentFlag.AlignLeft)
        for number, curve in enumerate(comparison.curves):
            series = QtCharts.QLineSeries()
            series.setName(html.escape(curve.label))  # a legend shows its names as rich text
            pen = QtGui.QPen(QtGui.QColor(CURVE_COLOURS[number % len(CURVE_COLOURS)]))
            pen.setWidthF(2.0)
            series.setPen(pen)
            series.replace([QtCore.QPointF(x, y) for x, y in curve.points])
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        self.chart_view.setChart(chart)
        return comparison
