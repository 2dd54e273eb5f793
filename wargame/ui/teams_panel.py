"""The teams: who has moved this turn (never what), their points, and after the reveal every move."""

from __future__ import annotations

from wargame.deck.models import Deck
from wargame.engine.describe import move_with_target, one_line, short_team_name
from wargame.engine.state import Adjudication, Decision, State, objective_score
from wargame.ui.qt import QtCore, QtGui, QtWidgets, plain_tip

# The players are under their team's name: a column of their own pushed the table wider than the
# console's left half, to be scrolled sideways to.
TEAM_COLUMNS = ("", "Team", "This turn", "Points", "Objectives")
TEAM_COLUMN_TIPS = (
    "",
    "",
    "",
    "Escalation points + / de-escalation points −",
    "Points from objectives met now",
)
# What a facilitator reads out at a reveal, without scrolling sideways: the value right after the
# team, then the move with its target and, on its next line, the team's reason (word-wrapped).
MOVE_COLUMNS = ("", "Team", "Value", "Move")
VALUE_COLUMN, MOVE_COLUMN = 2, 3
SHORT_TEXT = (
    100  # characters of a rationale shown under its move (all of it, and the prediction, in the tooltip)
)


def _item(text: str, tooltip: str = "") -> QtWidgets.QTableWidgetItem:
    item = QtWidgets.QTableWidgetItem(text)
    item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        item.setToolTip(plain_tip(tooltip))
    return item


def _set(table: QtWidgets.QTableWidget, row: int, column: int, text: str, tooltip: str = "") -> bool:
    """Show `text` in a cell, changing only what differs; whether anything did."""
    item = table.item(row, column)
    if item is None:
        table.setItem(row, column, _item(text, tooltip))
        return True
    changed = False
    if item.text() != text:
        item.setText(text)
        changed = True
    tip = plain_tip(tooltip)
    if item.toolTip() != tip:
        item.setToolTip(tip)
        changed = True
    return changed


def _limit_name_column(table: QtWidgets.QTableWidget) -> None:
    """Team names can be long: a fixed-width name column, elided, the full name in its tooltip."""
    table.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
    table.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(1, table.fontMetrics().horizontalAdvance("M") * 11)


class TeamsPanel(QtWidgets.QTableWidget):
    """One row per playing team. Signals: `move_requested(team_id)`."""

    move_requested = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(0, len(TEAM_COLUMNS), parent)
        self.setHorizontalHeaderLabels(TEAM_COLUMNS)
        for column, tip in enumerate(TEAM_COLUMN_TIPS):
            header_item = self.horizontalHeaderItem(column)
            if tip and header_item is not None:
                header_item.setToolTip(tip)
        self.verticalHeader().setVisible(False)
        # The name takes the room the figures leave (elided, whole in its tooltip): on a small
        # screen a fixed name column pushed the objectives out of sight.
        self.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.setHorizontalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}

    def update_from(self, deck: Deck, state: State) -> None:
        teams = state.active_teams()
        submitted = state.submitted_teams()
        moves_open = (
            state.phase in ("inject", "deliberation", "moves") and state.turn not in state.revealed_turns
        )
        changed = [team.id for team in teams] != list(self.buttons)
        if changed:
            self._make_rows([team.id for team in teams])
        this_turn: dict[str, list[Decision]] = {}
        for decision in state.decisions_in_turn(state.turn):
            this_turn.setdefault(decision.team, []).append(decision)
        for row, team in enumerate(teams):
            moved = this_turn.get(team.id, [])
            if not state.started:
                status = "—"
            elif team.id in submitted:  # the shared screen's words; a count only if a team has several
                done = len(moved) >= deck.moves_per_turn or any(d.passed for d in moved)  # (a pass ends it)
                several = (
                    ""
                    if deck.moves_per_turn == 1
                    else " (done)"
                    if done
                    else f" ({len(moved)} of {deck.moves_per_turn})"
                )
                # Before the reveal a pass reads as a move: the console may be projected too.
                passed = state.turn in state.revealed_turns and all(d.passed for d in moved)
                status = "✔ Passed" if passed else f"✔ Moved{several}"
            else:
                status = "… Waiting"
            members = ", ".join(deck.team(member).name for member in team.members)
            players = ", ".join(team.players)
            cells = (
                (
                    "\n".join(filter(None, (short_team_name(team.name), players))),
                    f"{team.name} — plays: {members}" + (f"\nPlayers: {players}" if players else ""),
                ),
                (status, "Moves stay hidden until the facilitator reveals the turn"),
                (f"+{team.escalation:g} / −{team.deescalation:g}", TEAM_COLUMN_TIPS[3]),
                (str(objective_score(deck, state, team.id)), TEAM_COLUMN_TIPS[4]),
            )
            for column, (text, tooltip) in enumerate(cells, start=1):
                changed = _set(self, row, column, text, tooltip) or changed
            can_move = moves_open and len(moved) < deck.moves_per_turn and not any(d.passed for d in moved)
            button = self.buttons[team.id]
            button.setEnabled(can_move and not state.ended)
            button.setToolTip(plain_tip(f"Enter {team.name}'s move (hidden until the reveal)"))
        if changed:
            self.resizeRowsToContents()

    def _make_rows(self, team_ids: list[str]) -> None:
        self.setRowCount(len(team_ids))
        self.buttons = {}
        for row, team_id in enumerate(team_ids):
            button = QtWidgets.QPushButton("Enter move…")
            button.clicked.connect(lambda _checked=False, chosen=team_id: self.move_requested.emit(chosen))
            self.setCellWidget(row, 0, button)
            self.buttons[team_id] = button


class MovesPanel(QtWidgets.QTableWidget):
    """The revealed moves of the current turn, each open to adjudication.

    Signals: `adjudicate_requested(team_id, decision_seq)`.
    """

    adjudicate_requested = QtCore.Signal(str, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(0, len(MOVE_COLUMNS), parent)
        self.setHorizontalHeaderLabels(MOVE_COLUMNS)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MOVE_COLUMN, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        _limit_name_column(self)
        self._shown: tuple[object, ...] | None = None
        self._targets: list[tuple[str, int]] = []  # (team id, move seq) of each row's button

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.resizeRowsToContents()  # the wrapped moves' new heights

    def update_from(self, deck: Deck, state: State) -> None:
        revealed = state.turn in state.revealed_turns
        decisions = state.decisions_in_turn(state.turn) if revealed else []
        adjusted = state.adjudications_by_decision(state.turn) if decisions else {}
        rows = [self._cells(deck, state, decision, adjusted) for decision in decisions]
        targets = [(decision.team, decision.seq) for decision in decisions]
        shown = (rows, targets, state.ended)
        if shown == self._shown:
            return  # most commands (notes, moves before the reveal) change nothing here
        self._shown, self._targets = shown, targets
        # Rows are hidden rather than removed between turns: their buttons are kept, not made anew.
        self.setRowCount(max(self.rowCount(), len(rows)))
        for row in range(self.rowCount()):
            self.setRowHidden(row, row >= len(rows))
        for row, cells in enumerate(rows):
            for column, (text, tooltip) in enumerate(cells, start=1):
                _set(self, row, column, text, tooltip)
            button = self.cellWidget(row, 0)
            if not isinstance(button, QtWidgets.QPushButton):
                button = QtWidgets.QPushButton("Adjudicate…")
                button.setToolTip("Change this move's score, with a written reason")
                button.clicked.connect(lambda _checked=False, at=row: self._adjudicate(at))
                self.setCellWidget(row, 0, button)
            button.setEnabled(not state.ended)
        self.resizeRowsToContents()

    @staticmethod
    def _cells(
        deck: Deck, state: State, decision: Decision, adjusted: dict[int, list[Adjudication]]
    ) -> tuple[tuple[str, str], ...]:
        """(text, tooltip) of each cell after the button: team, value, and the move with its reason."""
        team = state.teams[decision.team]
        move = move_with_target(deck, state, decision)
        value, value_tip = f"{decision.value:+g}", f"Scored {decision.value:+g} by the deck"
        adjudications = adjusted.get(decision.seq, [])
        if adjudications:  # the sum, shown as one: the move's score and each change to it
            total = decision.value + sum(a.delta for a in adjudications)
            value += "".join(f" {a.delta:+g}" for a in adjudications) + f"\n= {total:+g}"
            value_tip += "".join(f"; adjudicated {a.delta:+g}: {a.reason}" for a in adjudications)
        elif decision.free_text:
            value, value_tip = "to score", "A free-text move scores nothing until it is adjudicated"
        shown = f"{move}\nWhy: {_short(decision.rationale)}" if decision.rationale.strip() else move
        details = [move, decision.note]
        if decision.rationale:
            details.append(f"Why: {decision.rationale}")
        if decision.predict:
            details.append(f"Predicts: {decision.predict}")
        return (
            (short_team_name(team.name), team.name),
            (value, value_tip),
            (shown, "\n\n".join(part for part in details if part)),
        )

    def _adjudicate(self, row: int) -> None:
        team_id, seq = self._targets[row]
        self.adjudicate_requested.emit(team_id, seq)


def _short(text: str) -> str:
    """Text typed by a team, on one line and cut to `SHORT_TEXT` characters."""
    text = one_line(text)
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"
