"""The facilitator console: runs one session through the session controller.

The window holds no game rules and no copy of the scores: every action is a command to the
controller, and every panel is redrawn from the controller's state when it announces new events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.errors import WargameError
from wargame.session import SessionController
from wargame.session.steps import next_step, phase_title
from wargame.store.store import SessionBusy, StoreNotWritable, StoreUnavailable
from wargame.ui import dialogs
from wargame.ui.banner import Banner
from wargame.ui.chart import IndexChart
from wargame.ui.event_log import EventLogPanel
from wargame.ui.icons import icon
from wargame.ui.outcome_view import OutcomeView
from wargame.ui.qt import QtCore, QtWidgets, plain_label
from wargame.ui.teams_panel import MovesPanel, TeamsPanel
from wargame.ui.turn_cards import TurnCards
from wargame.ui.widgets import CardView, EscalationGauge, PhaseStepper, PhaseTimer, set_stretch


def _group(title: str, widget: QtWidgets.QWidget) -> QtWidgets.QGroupBox:
    box = QtWidgets.QGroupBox(title)
    layout = QtWidgets.QVBoxLayout(box)
    layout.addWidget(widget)
    return box


class ConsoleView(QtWidgets.QWidget):
    """Everything of one running session; the window around it provides menus.

    Signals: `changed` after every command that stored events (the window refreshes its actions).
    """

    changed = QtCore.Signal()
    take_over_requested = QtCore.Signal()

    RETRY_MS = 5000
    LEASE_RENEW_MS = 30000

    def __init__(self, session: SessionController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        deck = session.deck
        self.stepper = PhaseStepper(deck.phase_ids)
        self.timer = PhaseTimer()
        self.next_button = QtWidgets.QPushButton("Start turn 1")
        self.next_button.setObjectName("primary")
        self.next_button.setIcon(icon("next"))
        self.next_button.setToolTip("The next step of the session (Ctrl+Enter)")
        self.next_button.clicked.connect(self.advance)
        self.hint = plain_label()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.stepper, 1)
        top.addWidget(self.timer)
        next_column = QtWidgets.QVBoxLayout()
        next_column.addWidget(self.next_button)
        next_column.addWidget(self.hint)
        top.addLayout(next_column)

        self.card_view = CardView()
        self.turn_cards = TurnCards(self)  # the shared screen shows the card chosen here
        self.card_view.step_requested.connect(self.turn_cards.step)
        self.turn_cards.changed.connect(self._show_card)
        self.inject_button = QtWidgets.QPushButton("Inject a card now…")
        self.inject_button.setToolTip("Pick any card, preview it, and send it out now (Ctrl+I)")
        self.inject_button.setIcon(icon("inject"))
        self.inject_button.clicked.connect(self.inject_card)
        self.teams = TeamsPanel()
        self.teams.move_requested.connect(self.enter_move)
        self.moves = MovesPanel()
        self.moves.adjudicate_requested.connect(self.adjudicate)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.teams, "Teams")
        self.tabs.addTab(self.moves, "Revealed moves")
        self.tabs.setTabToolTip(1, "After the reveal: every move, its score, and adjudication with a reason")
        left = self.left_layout = QtWidgets.QVBoxLayout()
        left.addWidget(self.card_view, 2)
        left.addWidget(self.inject_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.tabs, 3)
        left_widget = QtWidgets.QWidget()
        left_widget.setLayout(left)

        self.gauge = EscalationGauge(deck)
        self.chart = IndexChart(deck, session.state.turn_count)
        self.log = EventLogPanel(deck)
        self.log.note_requested.connect(lambda text: self.run(c.AddNote(text)))
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.gauge)
        right.addWidget(self.chart, 2)
        right.addWidget(_group("Event log", self.log), 3)
        right_widget = QtWidgets.QWidget()
        right_widget.setLayout(right)

        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(left_widget)
        self.splitter.addWidget(right_widget)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        saved = QtCore.QSettings().value("console/splitter")
        if saved is not None:
            self.splitter.restoreState(saved)
        else:  # halves to start with (a ratio: setSizes spreads the room by these weights)
            self.splitter.setSizes([1000, 1000])
        self.splitter.splitterMoved.connect(
            lambda *_: QtCore.QSettings().setValue("console/splitter", self.splitter.saveState())
        )
        self.outcome = OutcomeView()
        self.pages = QtWidgets.QStackedWidget()
        self.outcome.back_requested.connect(lambda: self.pages.setCurrentIndex(0))
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.outcome)

        self.banner = Banner()
        self.retry_timer = QtCore.QTimer(self)
        self.retry_timer.setInterval(self.RETRY_MS)
        self.retry_timer.timeout.connect(self.retry_pending)
        self.lease_timer = QtCore.QTimer(self)
        self.lease_timer.setInterval(self.LEASE_RENEW_MS)
        self.lease_timer.timeout.connect(self._renew_lease)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.error_handler: Callable[[str], None] = self._show_error
        session.add_listener(self._on_events)
        if session.read_only:
            self._show_read_only(session.read_only)
        else:
            self.lease_timer.start()
        self._timed_phase: tuple[int, str | None] = (session.state.turn, session.state.phase)
        self._timer_resetting = False
        self._timer_was_running = False
        self._ended = session.state.ended
        self._refresh(reset_timer=True)
        self._restore_timer()
        self.timer.changed.connect(self._save_timer)
        if session.state.ended:
            self.show_outcome()

    # --- the phase clock across a restart ------------------------------------------------------
    @property
    def _timer_key(self) -> str:
        return f"timer/{self.session.session_id}"

    TIMER_SAVE_S = 15  # while it runs, the countdown is saved this often (a write of the settings)

    def save_timer(self) -> None:
        """Keep the countdown as it stands now (the session is being closed)."""
        self._save_timer(now=True)

    def _save_timer(self, now: bool = False) -> None:
        """The countdown as it stands, so that reopening the session (after a crash, say) in the
        same phase goes on from it instead of giving the class the whole phase again. Saved at
        each start, pause, reset or added minute, and every TIMER_SAVE_S seconds as it runs."""
        timer, state = self.timer, self.session.state
        between_saves = timer.running and self._timer_was_running and timer.remaining % self.TIMER_SAVE_S
        if (self._timer_resetting or between_saves) and not now:
            return
        self._timer_was_running = timer.running
        if state.ended:
            QtCore.QSettings().remove(self._timer_key)
            return
        saved = [state.turn, state.phase or "", timer.remaining, timer.ran_out]
        QtCore.QSettings().setValue(self._timer_key, json.dumps(saved))

    def _restore_timer(self) -> None:
        state, saved = self.session.state, QtCore.QSettings().value(self._timer_key)
        try:
            turn, phase, remaining, ran_out = json.loads(str(saved))
            remaining, ran_out = int(remaining), bool(ran_out)
        except (TypeError, ValueError):
            return  # none saved (or not ours): the phase's full time
        if (turn, phase) == (state.turn, state.phase or "") and not state.ended:
            self.timer.restore(remaining, ran_out)

    # --- commands ---------------------------------------------------------------------------
    def run(self, command: c.Command) -> bool:
        """Execute a command; a refusal or a database failure is shown, never raised.

        When the database cannot be reached the command is kept (nothing entered is lost), a
        banner says so, and it is retried every few seconds until it is stored or discarded.
        """
        try:
            self.session.execute(command)
        except (StoreUnavailable, SessionBusy) as exc:
            self.show_store_failure(exc)
            return False
        except WargameError as exc:
            self.error_handler(str(exc))
            return False
        return True

    def show_store_failure(self, exc: StoreUnavailable | SessionBusy) -> None:
        """A command that could not be stored: kept and retried (the database is unreachable),
        or the session read-only (another instance took it over)."""
        if isinstance(exc, StoreUnavailable):
            self._show_unreachable(exc)
        else:
            self._show_read_only(str(exc))

    def retry_pending(self) -> bool:
        """Try again to store the move kept while the database was unreachable."""
        if self.session.pending_command is None:
            self.retry_timer.stop()
            return True
        try:
            self.session.retry_pending()
        except StoreUnavailable as exc:
            self._show_unreachable(exc)
            return False
        except WargameError as exc:
            self.retry_timer.stop()
            self.banner.hide()
            self.error_handler(str(exc))
            return False
        self.retry_timer.stop()
        self.banner.show_message(
            "info", "The database is back: the kept move is stored.", [("OK", self.banner.hide)]
        )
        return True

    def discard_pending(self) -> None:
        answer = QtWidgets.QMessageBox.question(
            self, "Discard the kept move", "Discard the move that could not be stored? It will be lost."
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.session.discard_pending()
            self.retry_timer.stop()
            self.banner.hide()

    def _show_unreachable(self, exc: StoreUnavailable) -> None:
        """The move is kept. An unreachable database is tried again every few seconds; one that
        takes no writes (read-only, a full disk) waits for the facilitator to put it right."""
        cannot_write = isinstance(exc, StoreNotWritable)
        what = "The database takes no writes" if cannot_write else "The database cannot be reached"
        self.banner.show_message(
            "warning",
            f"{what}: {exc}",
            [("Retry now", self.retry_pending), ("Discard…", self.discard_pending)],
        )
        if cannot_write:
            self.retry_timer.stop()
        elif not self.retry_timer.isActive():
            self.retry_timer.start()

    def _show_read_only(self, message: str) -> None:
        self.lease_timer.stop()
        actions: list[tuple[str, Callable[[], object]]] = []
        if not self.session.log_altered:  # only a lease can be taken over
            actions.append(("Take over this session", self.take_over_requested.emit))
        self.banner.show_message("error", f"Read-only: {message}", actions)
        self._disable_commands()

    def _disable_commands(self) -> None:
        for widget in (self.next_button, self.inject_button, self.teams, self.moves, self.log.note):
            widget.setEnabled(False)

    def _renew_lease(self) -> None:
        try:
            self.session.renew_lease()
        except SessionBusy as exc:
            self._show_read_only(str(exc))
        except WargameError:
            pass  # unreachable now: the next command or retry says so

    def advance(self) -> None:
        step = next_step(self.session.deck, self.session.state)
        if not step.enabled:
            if step.waiting_for:
                self.error_handler(step.reason)
            return
        self.run(c.Advance())

    def enter_move(self, team_id: str) -> None:
        command = dialogs.ask_move(self, self.session.deck, self.session.state, team_id)
        if command is not None:
            self.run(command)

    def adjudicate(self, team_id: str, decision_seq: int | None = None) -> None:
        command = dialogs.ask_adjudication(self, self.session.deck, self.session.state, team_id, decision_seq)
        if command is not None:
            self.run(command)

    def inject_card(self) -> None:
        command = dialogs.ask_inject(self, self.session.deck, self.session.state)
        if command is not None:
            self.run(command)

    # --- showing the state ----------------------------------------------------------------------
    def _on_events(self, events: Sequence[Event], state: State) -> None:
        # An undo that leaves the phase where it is (a mistyped move) leaves its clock alone.
        phase_changed = (state.turn, state.phase) != self._timed_phase
        self._refresh(reset_timer=phase_changed)
        was_ended, self._ended = self._ended, state.ended
        if state.ended and not was_ended:  # ended, or its undo redone
            QtCore.QSettings().remove(self._timer_key)  # no phase left to time
            self.show_outcome()
        elif not state.ended and self.pages.currentWidget() is self.outcome:
            self.pages.setCurrentWidget(self.splitter)  # the end was undone
        self.changed.emit()

    def _refresh(self, *, reset_timer: bool) -> None:
        session, state, deck = self.session, self.session.state, self.session.deck
        self.stepper.set_position(state.turn, state.turn_count, state.phase)
        step = next_step(deck, state)
        self.next_button.setText(step.label)
        self.next_button.setEnabled(step.enabled)
        self.hint.setText(step.hint)
        self.hint.setToolTip(step.reason)
        if reset_timer:
            self._timer_resetting = True  # a new phase's full time: restoring gives it anyway
            self.timer.reset(state.phase_minutes.get(state.phase or "", 0))
            self._timer_resetting = False
            self._timer_was_running = False
            self._timed_phase = (state.turn, state.phase)
        self.timer.setEnabled(state.phase is not None and not state.ended)
        self.turn_cards.update_from(state)
        self.inject_button.setEnabled(state.started and not state.ended)
        self.teams.update_from(deck, state)
        self.moves.update_from(deck, state)
        revealed = state.turn in state.revealed_turns
        # From the moves phase on the card has been read out (it stays on the shared screen):
        # the teams' rows get its room.
        compact = revealed or state.phase == "moves"
        self.card_view.set_compact(compact)
        set_stretch(self.left_layout, self.card_view, 0 if compact else 2)
        self.tabs.setTabEnabled(1, revealed)
        self.tabs.setCurrentIndex(1 if revealed else 0)
        self.gauge.set_index(
            state.index, next(b.label for b in deck.escalation.bands if b.id == session.band)
        )
        self.chart.update_from(state)
        self.log.update_from(session.events, state)
        if session.read_only:
            self._disable_commands()

    def _show_card(self) -> None:
        deck, shown = self.session.deck, self.turn_cards.current
        if shown is None:
            self.card_view.show_card(deck, None)
            return
        self.card_view.show_card(
            deck,
            deck.card(shown.card),
            f"Inject — turn {shown.turn}",
            self.turn_cards.position,
            self.turn_cards.count,
        )

    def show_outcome(self) -> None:
        self.outcome.show_outcome(self.session.deck, self.session.state)
        self.pages.setCurrentIndex(1)

    def _show_error(self, message: str) -> None:
        QtWidgets.QMessageBox.warning(self, "wargame", message)

    @property
    def phase_text(self) -> str:
        return phase_title(self.session.state.phase)
