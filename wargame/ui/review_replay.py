"""Replay of a stored session: the timeline, a scrubber, the state as it stood then, and the chart.

The state shown at step n is `fold(deck, events[:n])` (through `Replay.state_at`); clicking a
point of the chart moves the scrubber to the event that made it. Nothing here writes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from wargame.engine.describe import session_team_names
from wargame.report import Replay, snapshot
from wargame.report.replay import TimelineEntry
from wargame.report.svg_chart import cause_label, chart_points
from wargame.ui.chart import IndexChart
from wargame.ui.qt import QtCharts, QtCore, QtGui, QtWidgets, plain_label, plain_tip
from wargame.ui.widgets import reflow

TOOLTIP_WIDTH = 80  # characters a line
CELL_TEXT = 300  # characters of a cell shown (a free-text move may have 5,000; all of it in the tooltip)


def _item(text: str, tooltip: str = "") -> QtWidgets.QTableWidgetItem:
    shown = text if len(text) <= CELL_TEXT else text[: CELL_TEXT - 1].rstrip() + "…"
    item = QtWidgets.QTableWidgetItem(shown)
    item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
    whole = tooltip or text
    item.setToolTip(plain_tip(whole if len(whole) <= TOOLTIP_WIDTH else textwrap.fill(whole, TOOLTIP_WIDTH)))
    return item


def show_entry(item: QtWidgets.QListWidgetItem, entry: TimelineEntry) -> None:
    """A timeline row: one line, cut with "…" where the timeline is too narrow, and the whole of it
    in its tooltip (wrapped: a free-text move can be longer than the screen is wide)."""
    line = f"{entry.seq:>4}  {entry.text}"
    if item.text() != line:  # most rows are the same at every step of the scrubber
        item.setText(line)
        item.setToolTip(plain_tip(textwrap.fill(f"#{entry.seq}  {entry.text}", TOOLTIP_WIDTH)))


def fill_table(table: QtWidgets.QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, _item(value))
    if table.wordWrap():
        table.resizeRowsToContents()


def make_table(headers: tuple[str, ...], stretch: int | tuple[int, ...] = ()) -> QtWidgets.QTableWidget:
    """A read-only table whose columns fit their contents, but for the `stretch` ones (those of
    typed text), which share the room left and wrap their text."""
    table = QtWidgets.QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    for column in (stretch,) if isinstance(stretch, int) else stretch:
        header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Stretch)
    return table


class ReplayChart(IndexChart):
    """The index chart with adjudications marked and the scrubber's position shown.

    Signals: `point_clicked(seq)` with the seq of the event that made the clicked point.
    """

    point_clicked = QtCore.Signal(int)

    def __init__(self, replay: Replay) -> None:
        super().__init__(replay.deck, replay.state.turn_count)
        self.points = chart_points(replay.state.history, replay.deck.phase_ids)
        self.adjudications = QtCharts.QScatterSeries()
        self.adjudications.setName("Adjudication")
        self.adjudications.setMarkerShape(QtCharts.QScatterSeries.MarkerShape.MarkerShapeRectangle)
        self.adjudications.setMarkerSize(10)
        self.adjudications.setColor(QtGui.QColor("#7b3294"))
        self.now = QtCharts.QScatterSeries()
        self.now.setName("Now")
        self.now.setMarkerSize(16)
        self.now.setColor(QtGui.QColor(0, 0, 0, 0))
        self.now.setBorderColor(QtGui.QColor("#d62728"))
        for series in (self.adjudications, self.now):
            self.chart().addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.update_from(replay.state)
        self.adjudications.replace(
            [QtCore.QPointF(x, y) for x, y, cause, _ in self.points if cause.startswith("adjudication:")]
        )
        for clickable in (self.line, self.cards, self.adjudications):
            clickable.clicked.connect(lambda point: self.click_at(point.x()))
        self.setToolTip("Click a point to jump the timeline there")

    def click_at(self, x: float) -> int | None:
        """Emit `point_clicked` for the chart point nearest to `x`; returns its seq."""
        if not self.points:
            return None
        nearest = min(self.points, key=lambda point: abs(point[0] - x))
        self.point_clicked.emit(nearest[3])
        return nearest[3]

    def show_position(self, seq: int) -> None:
        """Ring the last point made at or before event `seq`."""
        made = [(x, y) for x, y, _, point_seq in self.points if point_seq <= seq]
        self.now.replace([QtCore.QPointF(*made[-1])] if made else [])


class ReplayView(QtWidgets.QWidget):
    """Timeline, scrubber and the state at the scrubber's position."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay: Replay | None = None
        self.chart: ReplayChart | None = None
        self.title = plain_label("Open a session from the Sessions tab to replay it.")
        self.title.setObjectName("subtitle")
        self.title.setWordWrap(True)  # a long deck title and class must not widen the window
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setMinimum(1)
        self.slider.setPageStep(5)
        self.slider.setToolTip("Scrub through the session: the state shown is the state after this event")
        self.position = plain_label()
        # The event at the scrubber, whole (the timeline's rows may be cut to its width).
        self.current = plain_label()
        self.current.setWordWrap(True)
        self.current.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )
        self.timeline = QtWidgets.QListWidget()
        # One line a row, every row of one height, a row too long ending in "…": wrapped rows
        # were seen cut in the middle of a word, with blank gaps between them.
        self.timeline.setWordWrap(False)
        self.timeline.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.timeline.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setUniformItemSizes(True)
        self.index_label = plain_label()
        self.index_label.setObjectName("title")
        self.band_label = plain_label()
        self.turn_label = plain_label()
        self.teams = make_table(("Team", "Escalation", "De-escalation", "Objectives", "Players"), stretch=4)
        self.cards = make_table(("Turn", "Card", "How", "Score", "Ground truth"), stretch=4)
        self.moves = make_table(("Turn", "Team", "Move", "Target", "Score", "Rationale"), stretch=(2, 5))
        self.chart_box = QtWidgets.QVBoxLayout()

        scrub = QtWidgets.QHBoxLayout()
        scrub.addWidget(QtWidgets.QLabel("Event"))
        scrub.addWidget(self.slider, 1)
        scrub.addWidget(self.position)
        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QtWidgets.QLabel("Timeline"))
        left_layout.addWidget(self.timeline, 1)
        state = QtWidgets.QWidget()
        grid = QtWidgets.QVBoxLayout(state)
        grid.setContentsMargins(0, 0, 0, 0)
        # The band's name and the turn's line (with an outcome's title) can be long: they wrap
        # rather than widen this side and squeeze the timeline.
        self.band_label.setWordWrap(True)
        self.turn_label.setWordWrap(True)
        heading = QtWidgets.QHBoxLayout()
        heading.addWidget(self.index_label)
        heading.addWidget(self.band_label, 1)
        grid.addLayout(heading)
        grid.addWidget(self.turn_label)
        grid.addLayout(self.chart_box, 3)
        tabs = QtWidgets.QTabWidget()
        tabs.addTab(self.teams, "Teams")
        tabs.addTab(self.cards, "Cards so far")
        tabs.addTab(self.moves, "Moves so far")
        self.state_tabs = tabs
        grid.addWidget(tabs, 2)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(state)
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)  # a readable timeline
        splitter.setStretchFactor(1, 1)  # a wider window widens the state, not the timeline
        splitter.setSizes([380, 820])
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(scrub)
        layout.addWidget(self.current)
        layout.addWidget(splitter, 1)
        self.slider.valueChanged.connect(self.show_step)
        self.timeline.currentRowChanged.connect(self._timeline_row_changed)

    def _timeline_row_changed(self, row: int) -> None:
        if row >= 0:
            self.slider.setValue(row + 1)

    def set_replay(self, replay: Replay) -> None:
        self.replay = replay
        info = replay.info
        self.title.setText(
            f"{replay.deck.title} · {info.class_label or 'no class label'} · "
            f"{info.created_at:%Y-%m-%d %H:%M} UTC · facilitator {info.facilitator or '—'} · "
            f"session {info.id[:12]} (read-only)"
        )
        self.timeline.blockSignals(True)  # rows going and coming are no step to show
        self.timeline.clear()
        for entry in replay.timeline():
            item = QtWidgets.QListWidgetItem()
            show_entry(item, entry)
            self.timeline.addItem(item)
        self.timeline.blockSignals(False)
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = ReplayChart(replay)
        self.chart.point_clicked.connect(self.jump_to_seq)
        self.chart_box.addWidget(self.chart)
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(1, len(replay.events)))
        self.slider.setValue(len(replay.events))
        self.slider.blockSignals(False)
        self.show_step(len(replay.events))

    def jump_to_seq(self, seq: int) -> None:
        if self.replay is not None:
            self.slider.setValue(self.replay.count_at_seq(seq))

    def show_step(self, count: int) -> None:
        """Show the state after the first `count` events."""
        replay = self.replay
        if replay is None:
            return
        state = replay.state_at(count)
        snap = snapshot(replay.deck, state)
        seq = replay.events[count - 1].seq if count else 0
        self.position.setText(f"{count} of {len(replay.events)}")
        # Re-describe: a move's content shows once its turn is revealed as of this step.
        entries = replay.timeline(count)
        self.current.setText(f"#{entries[count - 1].seq}  {entries[count - 1].text}" if count else "")
        for row, entry in enumerate(entries):
            item = self.timeline.item(row)
            show_entry(item, entry)
            item.setForeground(QtGui.QColor("#222222" if row < count else "#9a9a9a"))
        self.timeline.blockSignals(True)
        self.timeline.setCurrentRow(count - 1)
        self.timeline.blockSignals(False)
        self.timeline.scrollToItem(self.timeline.item(count - 1))
        self.index_label.setText(f"Index {snap.index:g}")
        self.band_label.setText(f"{snap.band_label}")
        phase = f", {snap.phase}" if snap.phase else ""
        ended = f" · ended: {replay.deck.outcome(snap.outcome).title}" if snap.outcome else ""
        hidden = f" · {snap.hidden_moves} move(s) not yet revealed" if snap.hidden_moves else ""
        turn = f"Turn {snap.turn}" if snap.turn else "Before turn 1"
        self.turn_label.setText(f"{turn}{phase}{hidden}{ended}")
        fill_table(
            self.teams,
            [
                (
                    t.name + (f" ({t.status})" if t.status else ""),
                    f"+{t.escalation:g}",
                    f"−{t.deescalation:g}",
                    str(t.objectives),
                    ", ".join(t.players) or "—",
                )
                for t in snap.teams
            ],
        )
        fill_table(
            self.cards,
            [
                (str(card.turn), card.title, card.how, f"{card.value:+g}", reflow(card.ground_truth) or "—")
                for card in snap.cards
            ],
        )
        fill_table(
            self.moves,
            [
                (str(m.turn), m.team, m.text, m.target or "—", f"{m.value:+g}", m.rationale or "—")
                for m in snap.moves
            ],
        )
        self.state_tabs.setTabText(1, f"Cards so far ({len(snap.cards)})")
        self.state_tabs.setTabText(2, f"Moves so far ({len(snap.moves)})")
        if self.chart is not None:
            self.chart.show_position(seq)
            last = [p for p in state.history if p.seq <= seq]
            if last:
                cause = cause_label(replay.deck, last[-1].cause, session_team_names(state))
                self.chart.setToolTip(plain_tip(f"Last change: {cause} · click a point to jump there"))
