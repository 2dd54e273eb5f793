"""Per-team review: every decision with its rationale, score and adjudication, and each prediction
beside what the other teams actually did that turn."""

from __future__ import annotations

from wargame.engine.describe import move_label, reviewed_move, target_name
from wargame.report import Replay
from wargame.ui.qt import QtCore, QtWidgets, plain_label
from wargame.ui.review_replay import fill_table, make_table

DECISION_COLUMNS = (
    "Turn",
    "Move",
    "Target",
    "Score",
    "Rationale",
    "Adjudicated",
    "Prediction",
    "Others' moves",
)
# Columns of text people typed (a free-text move too) share the width and wrap; the rest fit.
TEXT_COLUMNS = (1, 4, 5, 6, 7)


class TeamDecisionsView(QtWidgets.QWidget):
    """A team chooser and the chosen team's decisions over the whole session."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay: Replay | None = None
        self.team_box = QtWidgets.QComboBox()
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.table = make_table(DECISION_COLUMNS, stretch=TEXT_COLUMNS)
        header = self.table.horizontalHeader()
        header.setToolTip("Others' moves: what the other teams did in the same turn")
        # Rows follow their wrapped text when the columns change width (one row per turn: cheap).
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Team"))
        top.addWidget(self.team_box)
        top.addWidget(self.summary, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.team_box.currentIndexChanged.connect(lambda _: self.show_team(self.team_box.currentData()))

    def set_replay(self, replay: Replay) -> None:
        self.replay = replay
        self.team_box.blockSignals(True)
        self.team_box.clear()
        for team in replay.state.teams.values():
            self.team_box.addItem(team.name, team.id)
        self.team_box.blockSignals(False)
        if self.team_box.count():
            self.show_team(self.team_box.itemData(0))

    def show_team(self, team_id: str | None) -> None:
        replay = self.replay
        if replay is None or team_id is None:
            return
        deck, state = replay.deck, replay.state
        team = state.teams[team_id]
        rows = []
        adjudicated = state.adjudications_by_decision()
        for d in (d for d in state.decisions if d.team == team_id):
            adjusted = adjudicated.get(d.seq, [])
            hidden = state.hidden(d)  # nothing of a move the session can still reveal
            others = "\n".join(
                f"{state.teams[o.team].name}: {move_label(deck, o)}"
                for o in state.decisions_in_turn(d.turn)
                if o.team != team_id and o.revealed
            )
            rows.append(
                (
                    str(d.turn),
                    reviewed_move(deck, state, d),
                    "—" if hidden else target_name(deck, state, d.target) or "—",
                    f"{d.value:+g}" if d.revealed and d.action else "—",
                    "—" if hidden else d.rationale or "—",
                    "; ".join(f"{a.delta:+g}: {a.reason}" for a in adjusted) or "—",
                    "—" if hidden else d.predict or "—",
                    others or "—",
                )
            )
        fill_table(self.table, rows)
        members = ", ".join(deck.team(m).name for m in team.members)
        plays = "" if members == team.name else f" plays {members}"  # a grouping, or a renamed team
        self.summary.setText(
            f"{team.name}{plays} · players: {', '.join(team.players) or '—'} · "
            f"escalation +{team.escalation:g}, de-escalation −{team.deescalation:g}"
        )
        self.table.setToolTip("Rationales and predictions as the team typed them")
        self.table.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
