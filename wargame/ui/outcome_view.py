"""The end of a session: the outcome, its source, the debrief questions and the final scores."""

from __future__ import annotations

from html import escape

from wargame.deck.models import Deck
from wargame.engine.describe import prediction_rows
from wargame.engine.state import State, scores
from wargame.ui.qt import QtCore, QtWidgets


def outcome_html(deck: Deck, state: State) -> str:
    """The outcome page as rich text (every deck and player string escaped)."""
    if state.outcome is None:
        return "<p>The session has not ended yet.</p>"
    outcome = deck.outcome(state.outcome)
    source = next((s for s in deck.sources if s.id == outcome.source), None)
    source_text = (
        f"{escape(source.title)}" + (f" — {escape(source.author)}" if source.author else "")
        if source
        else "—"
    )
    questions = "".join(f"<li>{escape(q)}</li>" for q in outcome.debrief)
    debrief = f"<h2>Debrief questions</h2><ol style='font-size:13pt'>{questions}</ol>" if questions else ""
    rows = "".join(
        f"<tr><td>{escape(s['name'])}</td><td align='right'>{s['escalation']:g}</td>"
        f"<td align='right'>{s['deescalation']:g}</td><td align='right'>{s['objectives']}</td></tr>"
        for s in scores(deck, state).values()
    )
    reason = {"last_turn": "after the last turn", "early_end": "early", "facilitator": "by the facilitator"}
    return (
        f"<h1 style='font-size:22pt'>{escape(outcome.title)}</h1>"
        f"<p style='font-size:13pt'>{escape(outcome.description.strip())}</p>"
        f"<p><i>The session ended {reason.get(state.end_reason or '', '')} with the escalation index at "
        f"{state.index:g}. Source of this outcome: {source_text}</i></p>"
        f"{debrief}"
        "<h2>Scores</h2><table cellpadding='6' border='1' style='border-collapse:collapse'>"
        "<tr><th>Team</th><th>Escalation</th><th>De-escalation</th><th>Objectives</th></tr>"
        f"{rows}</table>"
        f"{predictions_html(deck, state)}"
    )


def predictions_html(deck: Deck, state: State) -> str:
    """Each team's prediction of the others' response, beside what the others actually did that turn."""
    rows = [
        f"<tr><td>{turn}</td><td>{escape(team)}</td><td>{escape(predicted)}</td>"
        f"<td>{'; '.join(f'{escape(name)}: {escape(move)}' for name, move in others) or '—'}</td></tr>"
        for turn, team, predicted, others in prediction_rows(deck, state)
    ]
    if not rows:
        return ""
    return (
        "<h2>Predictions and what happened</h2>"
        "<table cellpadding='6' border='1' style='border-collapse:collapse'>"
        "<tr><th>Turn</th><th>Team</th><th>Predicted</th><th>What the others did</th></tr>"
        f"{''.join(rows)}</table>"
    )


class OutcomeView(QtWidgets.QWidget):
    """Signals: `back_requested` to return to the session view."""

    back_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QtWidgets.QTextBrowser()
        self.text.setOpenExternalLinks(False)
        back = QtWidgets.QPushButton("Back to the session")
        back.clicked.connect(self.back_requested.emit)
        layout = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel("Outcome")
        title.setObjectName("title")
        layout.addWidget(title)
        layout.addWidget(self.text, 1)
        layout.addWidget(back, 0, QtCore.Qt.AlignmentFlag.AlignLeft)

    def show_outcome(self, deck: Deck, state: State) -> None:
        self.text.setHtml(outcome_html(deck, state))
