"""The session's event log as a filterable list (by team and by kind), with facilitator notes."""

from __future__ import annotations

from typing import Any

from wargame.deck.models import Deck
from wargame.engine import events as ev
from wargame.engine.describe import describe, renamed_teams
from wargame.engine.events import Event
from wargame.engine.fold import active_events
from wargame.engine.state import State
from wargame.ui.qt import QtCore, QtWidgets
from wargame.ui.widgets import narrow_combo

KIND_TITLES = {
    ev.SESSION_CREATED: "Session",
    ev.TURN_STARTED: "Turns and phases",
    ev.PHASE_CHANGED: "Turns and phases",
    ev.TURN_ENDED: "Turns and phases",
    ev.SESSION_ENDED: "Session",
    ev.CARD_INJECTED: "Cards",
    ev.DECISION_RECORDED: "Moves",
    ev.DECISIONS_REVEALED: "Moves",
    ev.ADJUDICATED: "Adjudications",
    ev.NOTE_ADDED: "Notes",
    ev.ROSTER_CHANGED: "Roster",
    ev.UNDONE: "Undo and redo",
}


def event_teams(event: Event) -> set[str]:
    data = event.data
    teams = {data["team"]} if isinstance(data.get("team"), str) else set()
    teams.update(data.get("teams", []) if event.kind == ev.ROSTER_CHANGED else [])
    return teams


class EventLogModel(QtCore.QAbstractListModel):
    """One row per event (undone ones marked), described for the facilitator.

    `update` appends rows for new events and re-describes only the rows of a turn whose moves were
    just revealed; anything else (an undo, a shorter or different log) rebuilds every row.
    """

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck
        self.rows: list[tuple[str, str, str]] = []
        self._events: list[Event] = []
        self._revealed: frozenset[int] = frozenset()
        self._rows_of_turn: dict[int, list[int]] = {}
        self._undone: set[int] = set()  # rows of events that an undo cancelled
        # the teams' names after the events so far, and as each row's event found them (a rename
        # names a team anew from its event on; a merged team is not the deck's)
        self._teams: dict[str, str] = {}
        self._teams_of_row: list[dict[str, str]] = []

    def rebuild(self, events: list[Event], state: State) -> None:
        live = {event.seq for event in active_events(events)}
        self._revealed = frozenset(state.revealed_turns)
        self._teams, self._teams_of_row = {}, []
        self.beginResetModel()
        self.rows, self._events, self._rows_of_turn, self._undone = [], [], {}, set()
        for event in events:
            self._add(event, undone=event.seq not in live and event.kind != ev.UNDONE)
        self.endResetModel()

    def update(self, events: list[Event], state: State) -> None:
        """Take the log as it is now: incrementally when events were only appended."""
        known = len(self._events)
        new = events[known:]
        appended = len(events) >= known and (not known or events[known - 1] is self._events[-1])
        revealed = frozenset(state.revealed_turns)
        if not appended or not revealed >= self._revealed or any(event.kind == ev.UNDONE for event in new):
            self.rebuild(events, state)
            return
        newly_revealed, self._revealed = revealed - self._revealed, revealed
        for turn in sorted(newly_revealed):  # the turn's moves are shown from now on
            for row in self._rows_of_turn.get(turn, []):
                self.rows[row] = self._row(
                    self._events[row], self._teams_of_row[row], undone=row in self._undone
                )
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)
        if new:
            self.beginInsertRows(QtCore.QModelIndex(), known, known + len(new) - 1)
            for event in new:
                self._add(event, undone=False)
            self.endInsertRows()

    def _add(self, event: Event, *, undone: bool) -> None:
        turn = event.data.get("turn")
        if isinstance(turn, int):
            self._rows_of_turn.setdefault(turn, []).append(len(self.rows))
        if undone:
            self._undone.add(len(self.rows))
        self._events.append(event)
        self._teams_of_row.append(self._teams)
        self.rows.append(self._row(event, self._teams, undone=undone))
        if not undone:
            renamed = renamed_teams(event)
            if renamed:
                self._teams = self._teams | renamed

    def _row(self, event: Event, teams: dict[str, str], *, undone: bool) -> tuple[str, str, str]:
        text = describe(self.deck, event, show_moves=event.data.get("turn") in self._revealed, teams=teams)
        if undone:
            text += "  [undone]"
        return (f"#{event.seq}  {text}", ",".join(sorted(event_teams(event))), event.kind)

    def rowCount(self, parent: Any = None) -> int:
        return len(self.rows)

    def data(self, index: Any, role: int = QtCore.Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][0]
        return None


class EventFilter(QtCore.QSortFilterProxyModel):
    """Keeps the rows of one team and one kind ("" for all)."""

    def __init__(self, model: EventLogModel) -> None:
        super().__init__()
        self.model = model
        self.setSourceModel(model)
        self.team = ""
        self.kind = ""

    def set_filter(self, team: str, kind: str) -> None:
        if (team, kind) == (self.team, self.kind):
            return
        self.beginFilterChange()
        self.team, self.kind = team, kind
        self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Any) -> bool:
        if not self.team and not self.kind:
            return True
        _, teams, kind = self.model.rows[row]  # the row itself, not through model indexes
        if self.team and self.team not in teams.split(","):
            return False
        return not self.kind or KIND_TITLES.get(kind, kind) == self.kind


class EventLogPanel(QtWidgets.QWidget):
    """The filterable log, and a field to add a facilitator note.

    Signals: `note_requested(str)` when the facilitator adds a note.
    """

    note_requested = QtCore.Signal(str)

    def __init__(self, deck: Deck, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EventLogModel(deck)
        self.proxy = EventFilter(self.model)
        self.view = _log_view()
        self.view.setModel(self.proxy)
        self._teams: list[tuple[str, str]] | None = None
        self.team_filter = QtWidgets.QComboBox()
        self.team_filter.setToolTip("Show the events of one team")
        self.kind_filter = QtWidgets.QComboBox()
        self.kind_filter.setToolTip("Show one kind of event")
        for box in (self.team_filter, self.kind_filter):
            narrow_combo(box)
        self.kind_filter.addItem("All kinds", "")
        for title in dict.fromkeys(KIND_TITLES.values()):
            self.kind_filter.addItem(title, title)
        self.note = QtWidgets.QLineEdit()
        self.note.setPlaceholderText("Facilitator note… (Enter to add)")
        self.note.returnPressed.connect(self._add_note)
        filters = QtWidgets.QHBoxLayout()
        filters.addWidget(QtWidgets.QLabel("Team:"))
        filters.addWidget(self.team_filter, 1)
        filters.addWidget(QtWidgets.QLabel("Kind:"))
        filters.addWidget(self.kind_filter, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.team_filter.currentIndexChanged.connect(self._filter)
        self.kind_filter.currentIndexChanged.connect(self._filter)
        # The newest event stays in view as the window is laid out or resized, unless the
        # facilitator has scrolled up to read an older one (a command shows the newest again).
        self._following = True
        bar = self.view.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_following", value >= bar.maximum()))
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high) if self._following else None)

    def update_from(self, events: list[Event], state: State) -> None:
        teams = [(team.name, team.id) for team in state.teams.values()]
        if teams != self._teams:  # the team filter changes only with the roster
            self._teams = teams
            current = self.team_filter.currentData()
            self.team_filter.blockSignals(True)
            self.team_filter.clear()
            self.team_filter.addItem("All teams", "")
            for name, team_id in teams:
                self.team_filter.addItem(name, team_id)
            position = self.team_filter.findData(current)
            self.team_filter.setCurrentIndex(max(position, 0))
            self.team_filter.blockSignals(False)
        self.model.update(events, state)
        self._filter()
        self.view.scrollToBottom()

    def _filter(self) -> None:
        self.proxy.set_filter(
            str(self.team_filter.currentData() or ""), str(self.kind_filter.currentData() or "")
        )

    def _add_note(self) -> None:
        text = self.note.text().strip()
        if text:
            self.note_requested.emit(text)
            self.note.clear()


def _log_view() -> QtWidgets.QTableView:
    """A one-column table of one-line rows.

    A table, not a list view: a list view lays out every row again when rows are added (~1 ms
    for 10,000 events, at every command), where a table's rows of one height cost nothing to add.
    """
    view = QtWidgets.QTableView()
    view.horizontalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 2)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view
