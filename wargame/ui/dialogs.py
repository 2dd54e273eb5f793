"""The console's dialogs: a team's move, an adjudication, injecting a card, roster changes.

Each is built, run and read the same way: `ask_*` builds the dialog, runs it, and returns the
command to execute or None when cancelled. Tests build the dialog, fill it and call `command()`.
"""

from __future__ import annotations

from wargame.deck.models import Action, Deck
from wargame.engine import commands as c
from wargame.engine.bots import available_actions
from wargame.engine.describe import move_with_target, one_line
from wargame.engine.rules import MAX_TEXT, injected_this_turn, moves_this_turn
from wargame.engine.state import State
from wargame.ui.qt import QtCore, QtWidgets, plain_label
from wargame.ui.widgets import reflow, source_line

FREE_TEXT = "__free_text__"
PASS = "__pass__"


def _buttons(dialog: QtWidgets.QDialog, ok_text: str) -> QtWidgets.QDialogButtonBox:
    box = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class MoveDialog(QtWidgets.QDialog):
    """A team's move: an action from its own menu (with target), a free-text move, or a pass."""

    def __init__(
        self, deck: Deck, state: State, team_id: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.deck, self.state, self.team_id = deck, state, team_id
        team = state.teams[team_id]
        self.setWindowTitle(f"Move for {team.name} — turn {state.turn}")
        self.available = {action.id for action in available_actions(deck, state, team_id)}
        members = set(team.members)
        self.menu = [action for action in deck.actions if members & set(action.teams)]
        self.action_box = QtWidgets.QComboBox()
        for action in self.menu:
            suffix = "" if action.id in self.available else "  (not available now)"
            self.action_box.addItem(f"{action.label}  [{action.escalation:+g}]{suffix}", action.id)
        self.action_box.addItem("Free-text move (the facilitator scores it)", FREE_TEXT)
        self.action_box.addItem("Pass this turn", PASS)
        self.action_box.setToolTip("The team's own action menu; the value is its escalation score")
        self.description = plain_label()
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(self.fontMetrics().height() * 4)
        self.target_box = QtWidgets.QComboBox()
        self.target_box.setToolTip("Whom or where the action is aimed at")
        self.free_text = QtWidgets.QPlainTextEdit()
        self.free_text.setPlaceholderText("What does the team do? The facilitator will score it.")
        self.rationale = QtWidgets.QPlainTextEdit()
        self.rationale.setPlaceholderText("Why? (shown at the debrief)")
        self.predict = QtWidgets.QPlainTextEdit()
        self.predict.setPlaceholderText("How do you expect the other teams to respond?")
        for box in (self.free_text, self.rationale, self.predict):
            box.setTabChangesFocus(True)
            box.setMaximumHeight(self.fontMetrics().height() * 5)
        self.hidden_note = QtWidgets.QLabel(
            "This move stays hidden from every screen until the facilitator reveals it."
        )
        self.hidden_note.setObjectName("subtitle")
        self.hidden_note.setWordWrap(True)
        self.problem = plain_label()
        self.problem.setObjectName("hint")
        self.problem.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        form.addRow("&Action:", self.action_box)
        form.addRow("", self.description)
        form.addRow("&Target:", self.target_box)
        form.addRow("&Free-text move:", self.free_text)
        form.addRow("&Rationale:", self.rationale)
        form.addRow("&Prediction:", self.predict)
        self.buttons = _buttons(self, "Submit move")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.action_box.currentIndexChanged.connect(self._update)
        for box in (self.free_text, self.rationale, self.predict):
            box.textChanged.connect(self._check)
        self.resize(720, 560)
        self._update()

    def chosen(self) -> str:
        return str(self.action_box.currentData())

    def _update(self) -> None:
        chosen = self.chosen()
        action = next((a for a in self.menu if a.id == chosen), None)
        self.free_text.setEnabled(chosen == FREE_TEXT)
        self.target_box.clear()
        if action is None:
            self.description.setText(
                "A free-text move scores 0 until the facilitator adjudicates it."
                if chosen == FREE_TEXT
                else "The team does nothing this turn."
            )
            self.target_box.setEnabled(False)
        else:
            requires = f"\nAvailable only when: {action.requires}" if isinstance(action.requires, str) else ""
            self.description.setText(
                f"{reflow(action.description or action.label)}\nWhy {action.escalation:+g}: "
                f"{reflow(action.rationale)}{requires}"
            )
            self._fill_targets(action)
        self._check()

    def _check(self) -> None:
        """Submit only what the rules take, so that a refusal never closes the form and loses it."""
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def _problem(self) -> str:
        chosen = self.chosen()
        if chosen not in (FREE_TEXT, PASS) and chosen not in self.available:
            return "This action is not available now: choose another."
        if chosen == PASS and moves_this_turn(self.state, self.state.teams[self.team_id].members):
            return "The team has moved this turn already: it cannot pass now (cancel to leave it there)."
        if self.target_box.isEnabled() and self.target_box.count() == 0:
            return "Nothing can be aimed at with this action now: choose another."
        if chosen == FREE_TEXT and not self.free_text.toPlainText().strip():
            return "Write the team's move in the free-text box to submit it."
        boxes = [("rationale", self.rationale), ("prediction", self.predict)]
        if chosen == FREE_TEXT:
            boxes.insert(0, ("move", self.free_text))
        for what, box in boxes:
            length = len(box.toPlainText().strip())
            if length > MAX_TEXT:
                return f"The {what} is too long ({length:,} characters; at most {MAX_TEXT:,})."
        return ""

    def _fill_targets(self, action: Action) -> None:
        kind = action.target
        self.target_box.setEnabled(kind != "none")
        if kind == "team":
            own = set(self.state.teams[self.team_id].members)
            for team in self.deck.teams:
                if team.id not in own and (not action.targets or team.id in action.targets):
                    self.target_box.addItem(team.name, team.id)
        elif kind == "place":
            for place in self.deck.places:
                self.target_box.addItem(place.name, place.id)

    def command(self) -> c.SubmitDecision:
        chosen = self.chosen()
        rationale, predict = self.rationale.toPlainText().strip(), self.predict.toPlainText().strip()
        if chosen == PASS:
            return c.SubmitDecision(team=self.team_id, rationale=rationale, predict=predict)
        if chosen == FREE_TEXT:
            return c.SubmitDecision(
                team=self.team_id,
                free_text=self.free_text.toPlainText().strip(),
                rationale=rationale,
                predict=predict,
            )
        target = self.target_box.currentData() if self.target_box.isEnabled() else None
        return c.SubmitDecision(
            team=self.team_id, action=chosen, target=target, rationale=rationale, predict=predict
        )


class AdjudicationDialog(QtWidgets.QDialog):
    """Change a team's score with a written reason (for a move, or for the team as a whole)."""

    def __init__(
        self,
        deck: Deck,
        state: State,
        team_id: str,
        decision_seq: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.team_id, self.decision_seq = team_id, decision_seq
        self.setWindowTitle(f"Adjudicate: {state.teams[team_id].name}")
        self.context = QtWidgets.QLabel(adjudication_context(deck, state, team_id, decision_seq))
        self.context.setWordWrap(True)
        self.context.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.delta = QtWidgets.QDoubleSpinBox()
        self.delta.setRange(-100, 100)
        self.delta.setDecimals(0)
        self.delta.setSingleStep(1)
        self.delta.setToolTip(
            "Points added to the escalation index and to the team's points (negative de-escalates)"
        )
        self.reason = QtWidgets.QPlainTextEdit()
        self.reason.setPlaceholderText("Why? A written reason is required and shown at the debrief.")
        self.reason.setTabChangesFocus(True)
        form = QtWidgets.QFormLayout()
        form.addRow("Score &change:", self.delta)
        form.addRow("&Reason:", self.reason)
        self.buttons = _buttons(self, "Record adjudication")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.context)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        metrics = self.fontMetrics()
        self.resize(max(560, metrics.averageCharWidth() * 70), max(340, metrics.height() * 16))
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def command(self) -> c.Adjudicate:
        return c.Adjudicate(
            self.team_id, float(self.delta.value()), self.reason.toPlainText().strip(), self.decision_seq
        )


def adjudication_context(deck: Deck, state: State, team_id: str, decision_seq: int | None) -> str:
    """What is being adjudicated, for the facilitator deciding the change: the move, its score, the
    team's reason and any earlier adjudication of it."""
    team = state.teams[team_id]
    decision = next((d for d in state.decisions if d.seq == decision_seq), None)
    if decision is None:
        return f"{team.name} as a whole (not one move), turn {state.turn}."
    lines = [f"{team.name}, turn {decision.turn}: {move_with_target(deck, state, decision)}"]
    if decision.free_text is not None:
        lines.append("A free-text move: it scores nothing until it is adjudicated.")
    else:
        lines.append(
            f"Scored {decision.value:+g} by the deck" + (f" ({decision.note})" if decision.note else ".")
        )
    if decision.rationale.strip():
        lines.append(f"Why: {one_line(decision.rationale)}")
    lines.extend(
        f"Already adjudicated {a.delta:+g}: {one_line(a.reason)}"
        for a in state.adjudications
        if a.decision_seq == decision.seq
    )
    return "\n".join(lines)


class InjectCardDialog(QtWidgets.QDialog):
    """Pick any card (eligible ones first) and preview it before it goes out."""

    def __init__(self, deck: Deck, state: State, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.deck = deck
        self.setWindowTitle("Inject a card now")
        self.show_all = QtWidgets.QCheckBox("Show every card (override the schedule)")
        self.show_all.setToolTip("Exercise control may inject any card at any time")
        self.cards = QtWidgets.QListWidget()
        self.cards.setWordWrap(True)  # long titles wrap rather than scroll sideways
        self.cards.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = QtWidgets.QTextBrowser()
        self.state = state
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.show_all)
        split = QtWidgets.QHBoxLayout()
        split.addWidget(self.cards, 1)
        split.addWidget(self.preview, 2)
        layout.addLayout(split)
        self.buttons = _buttons(self, "Inject this card")
        layout.addWidget(self.buttons)
        self.show_all.toggled.connect(self._fill)
        self.cards.currentRowChanged.connect(self._preview)
        self.resize(900, 520)
        self._fill()

    def _eligible(self, card_id: str) -> bool:
        card = self.deck.card(card_id)
        return card.repeatable or self.state.injected.get(card_id, 0) == 0

    def _fill(self) -> None:
        self.cards.clear()
        for card in self.deck.cards:
            eligible = self._eligible(card.id)
            if not eligible and not self.show_all.isChecked():
                continue
            came_now = not card.repeatable and injected_this_turn(self.state, card.id)
            note = "  (came this turn)" if came_now else "" if eligible else "  (already injected)"
            item = QtWidgets.QListWidgetItem(card.title + note)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, card.id)
            if came_now:  # the rules refuse it: once a turn is all a card that is not repeatable comes
                item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsEnabled)
            self.cards.addItem(item)
        enabled = QtCore.Qt.ItemFlag.ItemIsEnabled
        choosable = [row for row in range(self.cards.count()) if self.cards.item(row).flags() & enabled]
        if choosable:
            self.cards.setCurrentRow(choosable[0])
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setEnabled(bool(choosable))

    def _preview(self, row: int) -> None:
        item = self.cards.item(row)
        if item is None:
            self.preview.clear()
            return
        card = self.deck.card(item.data(QtCore.Qt.ItemDataRole.UserRole))
        self.preview.setPlainText(
            f"{card.title}\n\n{reflow(card.text)}\n\n{source_line(self.deck, card)}\n\n"
            f"Escalation value: {card.escalation:+g}"
        )

    def select(self, card_id: str) -> None:
        for row in range(self.cards.count()):
            if self.cards.item(row).data(QtCore.Qt.ItemDataRole.UserRole) == card_id:
                self.cards.setCurrentRow(row)
                return
        raise KeyError(card_id)

    def command(self) -> c.InjectCard | None:
        item = self.cards.currentItem()
        return None if item is None else c.InjectCard(item.data(QtCore.Qt.ItemDataRole.UserRole))


def ask_move(parent: QtWidgets.QWidget, deck: Deck, state: State, team_id: str) -> c.SubmitDecision | None:
    dialog = MoveDialog(deck, state, team_id, parent)
    return dialog.command() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None


def ask_adjudication(
    parent: QtWidgets.QWidget, deck: Deck, state: State, team_id: str, decision_seq: int | None = None
) -> c.Adjudicate | None:
    dialog = AdjudicationDialog(deck, state, team_id, decision_seq, parent)
    return dialog.command() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None


def ask_inject(parent: QtWidgets.QWidget, deck: Deck, state: State) -> c.InjectCard | None:
    dialog = InjectCardDialog(deck, state, parent)
    return dialog.command() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None


def ask_text(parent: QtWidgets.QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QtWidgets.QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if ok and value.strip() else None


def ask_choice(parent: QtWidgets.QWidget, title: str, label: str, items: list[str]) -> str | None:
    value, ok = QtWidgets.QInputDialog.getItem(parent, title, label, items, 0, False)
    return value if ok else None
