"""The facilitator console, driven through its real widgets offscreen."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import BALTIC_DECK, MINI_DECK, REPO
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.console import ConsoleView
from wargame.ui.dialogs import FREE_TEXT, PASS, AdjudicationDialog, InjectCardDialog, MoveDialog
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QtCore, QtGui, QtWidgets
from wargame.ui.teams_panel import MOVE_COLUMN, VALUE_COLUMN
from wargame.ui.wizard import NewSessionWizard


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'console.sqlite3'}"


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    main = MainWindow(store)
    qtbot.addWidget(main)
    main.show()
    return main


def answer_next_dialog(qtbot: QtBot, fill: Callable[[QtWidgets.QDialog], None]) -> None:
    """Fill and accept the next modal dialog as soon as it opens (no modal loop can hang the test)."""

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, QtWidgets.QDialog):
            QtCore.QTimer.singleShot(10, answer)
            return
        fill(dialog)
        dialog.accept()

    QtCore.QTimer.singleShot(0, answer)


def wizard_setup(qtbot: QtBot, window: MainWindow, class_label: str) -> SessionController:
    wizard = NewSessionWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.deck_page.open_deck_file(MINI_DECK)
    wizard.next()
    wizard.class_page.findChildren(QtWidgets.QLineEdit)[0].setText(class_label)
    for _ in range(3):
        wizard.next()
    loaded, setup = wizard.session_setup()
    wizard.accept()
    session = window.start_session(loaded, setup)
    assert session is not None and window.console is not None
    return session


def console_in_moves(qtbot: QtBot, window: MainWindow) -> tuple[SessionController, ConsoleView]:
    """A session set up in the wizard, in turn 1's moves phase, and its console."""
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    while session.state.phase != "moves":
        console.advance()
    return session, console


def run_clock(console: ConsoleView, seconds: int) -> None:
    """Start the phase clock and let `seconds` pass."""
    console.timer.start()
    for _ in range(seconds):
        console.timer.tick()


def cell_text(table: QtWidgets.QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no item at row {row}, column {column}"
    return item.text()


def choose(dialog: MoveDialog, action: str | None, target: str | None = None, rationale: str = "") -> None:
    dialog.action_box.setCurrentIndex(
        dialog.action_box.findData(action) if action else dialog.action_box.count() - 1
    )
    if target is not None:
        dialog.target_box.setCurrentIndex(dialog.target_box.findData(target))
    dialog.rationale.setPlainText(rationale)
    dialog.predict.setPlainText("They will follow")


def choosing(
    action: str | None, target: str | None = None, rationale: str = ""
) -> Callable[[QtWidgets.QDialog], None]:
    """A dialog filler for answer_next_dialog: `choose` in the move dialog that opens."""

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        choose(dialog, action, target, rationale)

    return fill


def test_a_whole_session_through_the_console(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    session = wizard_setup(qtbot, window, "IR 101")
    console = window.console
    assert console is not None
    assert session.state.class_label == "IR 101"
    errors: list[str] = []
    console.error_handler = errors.append
    plans: list[dict[str, tuple[str | None, str | None]]] = [
        {"red": ("talk", None), "blue": ("posture", "red"), "green": (None, None)},
        {"red": ("accept", None), "blue": ("talk", None), "green": ("posture", "red")},
        {"red": ("posture", "blue"), "blue": (None, None), "green": ("talk", None)},
    ]
    for turn, plan in enumerate(plans, start=1):
        if turn == 1:
            assert console.next_button.text() == "Start turn 1"
            qtbot.mouseClick(console.next_button, QtCore.Qt.MouseButton.LeftButton)
        assert session.state.turn == turn and session.state.phase == "inject"
        assert console.card_view.title.text() != "No card yet"
        while session.state.phase != "moves":
            qtbot.mouseClick(console.next_button, QtCore.Qt.MouseButton.LeftButton)
        assert not console.next_button.isEnabled()  # nobody has moved yet
        for team_id, (action, target) in plan.items():
            answer_next_dialog(qtbot, choosing(action, target, f"turn {turn}"))
            qtbot.mouseClick(console.teams.buttons[team_id], QtCore.Qt.MouseButton.LeftButton)
        assert session.state.submitted_teams() == {"red", "blue", "green"}
        # Hidden until the reveal: the teams table says submitted, never what.
        table_text = " ".join(
            cell_text(console.teams, row, col)
            for row in range(console.teams.rowCount())
            for col in range(1, console.teams.columnCount())
        )
        assert "✔ Moved" in table_text and "Propose" not in table_text
        assert "Passed" not in table_text  # a pass is a choice too: hidden like the others
        assert "(1" not in table_text  # one move a turn: no count to puzzle over
        shown = [r for r in range(console.moves.rowCount()) if not console.moves.isRowHidden(r)]
        assert shown == []  # no move of this turn (nor of the last) before the reveal
        qtbot.mouseClick(console.next_button, QtCore.Qt.MouseButton.LeftButton)  # reveal
        if turn == 1:
            assert cell_text(console.teams, list(console.teams.buttons).index("green"), 2) == "✔ Passed"
        assert turn in session.state.revealed_turns
        assert console.moves.rowCount() == 3
        assert not any(console.moves.isRowHidden(r) for r in range(3))
        buttons = [console.moves.cellWidget(r, 0) for r in range(3)]
        if turn == 1:
            first_buttons = buttons
        else:
            assert buttons == first_buttons  # the same buttons, kept while their rows were hidden
        if turn == 1:
            answer_next_dialog(qtbot, _adjudicate_plus_two)
            adjudicate = console.moves.cellWidget(1, 0)
            assert isinstance(adjudicate, QtWidgets.QPushButton)
            qtbot.mouseClick(adjudicate, QtCore.Qt.MouseButton.LeftButton)
            assert session.state.adjudications[-1].reason == "Louder than announced"
            window.actions_.undo.trigger()  # undo the adjudication...
            assert not session.state.adjudications
            window.actions_.redo.trigger()  # ...and redo it
            assert session.state.adjudications[-1].delta == 2
        if turn == 2:  # the row buttons are kept from turn 1: each must now act on this turn's move
            answer_next_dialog(qtbot, _adjudicate_plus_two)
            adjudicate = console.moves.cellWidget(2, 0)
            assert isinstance(adjudicate, QtWidgets.QPushButton)
            qtbot.mouseClick(adjudicate, QtCore.Qt.MouseButton.LeftButton)
            third = session.state.decisions_in_turn(2)[2]
            assert (session.state.adjudications[-1].team, session.state.adjudications[-1].decision_seq) == (
                third.team,
                third.seq,
            )
            value = cell_text(console.moves, 2, VALUE_COLUMN)
            assert value.endswith(f" +2\n= {third.value + 2:+g}")  # the move's score, the change, the sum
        while (
            session.state.phase is not None and not session.state.ended and session.state.phase != "scoring"
        ):
            qtbot.mouseClick(console.next_button, QtCore.Qt.MouseButton.LeftButton)
        qtbot.mouseClick(console.next_button, QtCore.Qt.MouseButton.LeftButton)
    assert session.state.ended
    assert console.pages.currentWidget() is console.outcome
    outcome = session.deck.outcome(session.state.outcome or "")
    assert outcome.title in console.outcome.text.toPlainText()
    assert outcome.debrief[0] in console.outcome.text.toPlainText()
    assert errors == []

    stored = store.events(session.session_id)
    assert [e.to_dict() for e in stored] == [e.to_dict() for e in session.events]
    kinds = [e.kind for e in stored]
    assert kinds.count(ev.DECISION_RECORDED) == 9
    assert kinds.count(ev.ADJUDICATED) == 2
    assert kinds.count(ev.UNDONE) == 2
    assert kinds[-1] == ev.SESSION_ENDED
    info = store.session(session.session_id)
    assert (info.status, info.outcome, info.class_label) == ("ended", session.state.outcome, "IR 101")
    reopened = SessionController.open(store, session.session_id)
    assert reopened.state == session.state


def _adjudicate_plus_two(dialog: QtWidgets.QDialog) -> None:
    assert isinstance(dialog, AdjudicationDialog)
    assert "Scored " in dialog.context.text() and ", turn " in dialog.context.text()  # what is adjudicated
    assert not dialog.buttons.button(
        QtWidgets.QDialogButtonBox.StandardButton.Ok
    ).isEnabled()  # a reason first
    dialog.delta.setValue(2)
    dialog.reason.setPlainText("Louder than announced")


def test_refused_commands_are_shown_not_raised(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    errors: list[str] = []
    console.error_handler = errors.append
    while session.state.phase != "moves":
        console.advance()
    console.advance()  # nobody has moved: nothing happens, the facilitator is told who is missing
    assert errors and "Red" in errors[-1]
    assert session.state.phase == "moves"


def test_inject_a_card_now_with_preview(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    assert window.console is not None
    window.console.advance()

    def pick(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, InjectCardDialog)
        dialog.show_all.setChecked(True)
        dialog.select("alarm_card")
        assert "Sirens sound." in dialog.preview.toPlainText()

    answer_next_dialog(qtbot, pick)
    window.actions_.inject.trigger()
    assert session.state.injections[-1].card == "alarm_card"
    assert window.console.card_view.title.text() == "Sirens"


def test_free_text_moves_are_flagged_for_scoring(qtbot: QtBot, window: MainWindow) -> None:
    session, console = console_in_moves(qtbot, window)

    def free_text(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        dialog.action_box.setCurrentIndex(dialog.action_box.findData("__free_text__"))
        dialog.free_text.setPlainText("We call the UN Secretary-General")

    answer_next_dialog(qtbot, free_text)
    console.enter_move("red")
    for team in ("blue", "green"):
        answer_next_dialog(qtbot, choosing(None))
        console.enter_move(team)
    console.advance()
    row = next(r for r in range(console.moves.rowCount()) if cell_text(console.moves, r, 1) == "Red")
    assert cell_text(console.moves, row, VALUE_COLUMN) == "to score"
    assert "We call the UN" in cell_text(console.moves, row, MOVE_COLUMN)
    move = session.state.decisions_in_turn(1, "red")[0].seq
    session.execute(c.Adjudicate("red", 5, "first ruling", decision_seq=move))
    session.execute(c.Adjudicate("red", 3, "second ruling", decision_seq=move))
    assert cell_text(console.moves, row, VALUE_COLUMN) == "+0 +5 +3\n= +8"  # every ruling counts


RESUME_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QSettings
from wargame.ui.app import make_application
from wargame.store import Store
from wargame.ui.main_window import MainWindow
from wargame.deck import load_deck_file
from wargame.engine import commands as c

settings_dir, db_url, deck = sys.argv[1:4]
app = make_application()
QCoreApplication.setOrganizationName("wargame-tests")
QCoreApplication.setApplicationName("wargame-tests")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
window = MainWindow(Store(db_url))
window.show()
teams = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))
session = window.start_session(load_deck_file(deck), c.CreateSession(seed=4, teams=teams))
while session.state.phase != "moves":
    window.console.advance()
session.execute(c.SubmitDecision("red", action="talk", rationale="before the crash"))
session.execute(c.SubmitDecision("blue", action="posture", target="red"))
app.processEvents()
print("ready", session.session_id, flush=True)
app.exec()
"""


def test_killed_in_the_moves_phase_resumes_with_every_move(
    qtbot: QtBot, tmp_path: Path, db_url: str, store: Store
) -> None:
    settings_dir = QtCore.QSettings().fileName().rsplit("/wargame-tests/", 1)[0]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-c", RESUME_SCRIPT, settings_dir, db_url, str(MINI_DECK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().split()
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
    assert line[:1] == ["ready"]
    session_id = line[1]

    main = MainWindow(store)
    qtbot.addWidget(main)
    assert main.resume_last()
    assert main.console is not None
    session = main.console.session
    assert session.session_id == session_id
    assert (session.state.turn, session.state.phase) == (1, "moves")
    assert session.state.submitted_teams() == {"red", "blue"}
    assert [d.rationale for d in session.state.decisions] == ["before the crash", ""]
    assert main.console.teams.buttons["green"].isEnabled()
    assert not main.console.teams.buttons["red"].isEnabled()


def test_roster_changes_from_the_teams_menu(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    assert window.console is not None
    window.console.advance()

    def pick(item: str) -> Callable[[QtWidgets.QDialog], None]:
        def fill(dialog: QtWidgets.QDialog) -> None:
            assert isinstance(dialog, QtWidgets.QInputDialog)
            dialog.setTextValue(item)

        return fill

    answer_next_dialog(qtbot, pick("Red"))
    QtCore.QTimer.singleShot(200, lambda: answer_next_dialog(qtbot, pick("Rosa")))
    window.actions_.add_player.trigger()
    qtbot.waitUntil(lambda: "Rosa" in session.state.teams["red"].players)

    answer_next_dialog(qtbot, pick("Blue"))
    QtCore.QTimer.singleShot(200, lambda: answer_next_dialog(qtbot, pick("Blue Water Navy")))
    window.actions_.rename.trigger()
    qtbot.waitUntil(lambda: session.state.teams["blue"].name == "Blue Water Navy")
    assert cell_text(window.console.teams, 1, 1) == "Blue Water Navy"

    answer_next_dialog(qtbot, pick("Red"))
    QtCore.QTimer.singleShot(200, lambda: answer_next_dialog(qtbot, pick("Rosa")))
    window.actions_.remove_player.trigger()
    qtbot.waitUntil(lambda: "Rosa" not in session.state.teams["red"].players)

    teams_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "T&eams")
    assert isinstance(teams_menu, QtWidgets.QMenu)
    assert {window.actions_.add_team, window.actions_.remove_player} <= set(teams_menu.actions())


def test_the_shortcuts_the_readme_gives(window: MainWindow) -> None:
    def keys(action: QtGui.QAction) -> set[str]:
        return {shortcut.toString() for shortcut in action.shortcuts()}

    assert {"Ctrl+Z"} <= keys(window.actions_.undo)
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= keys(window.actions_.redo)
    assert {"Ctrl+Return", "Ctrl+Enter"} <= keys(window.actions_.next)  # and the keypad's Enter
    quit_action = next(a for a in window.findChildren(QtGui.QAction) if a.text() == "&Quit")
    assert keys(quit_action) == {"Ctrl+Q"}


def test_the_outcome_shows_predictions_beside_what_happened(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", action="talk", predict="Blue <b>will</b> accept"))
    session.execute(c.SubmitDecision("blue", action="posture", target="red"))
    session.execute(c.SubmitDecision("green"))
    session.execute(c.Advance())
    session.execute(c.EndSession())
    assert window.console is not None
    text = window.console.outcome.text.toPlainText()
    assert "Predictions and what happened" in text
    assert "Blue <b>will</b> accept" in text  # typed text is shown as text
    assert "Exercise near the border" in text


def test_an_open_session_is_kept_out_of_full_collections(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    try:
        frozen = gc.get_freeze_count()
        assert frozen > len(session.events)  # its events, state and widgets
        window.open_session(session.session_id)
        assert gc.get_freeze_count() < 2 * frozen  # what was frozen for the first console is let go
    finally:
        gc.unfreeze()


def test_revealed_moves_read_whole_without_scrolling_sideways(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    window.resize(1280, 800)
    while session.state.phase != "moves":
        console.advance()
    long_reason = "We show resolve so that the other side reads it clearly. " * 6
    console.run(
        c.SubmitDecision("red", "posture", target="blue", rationale=long_reason, predict="Blue backs down")
    )
    console.run(c.SubmitDecision("blue", "talk", rationale="Calm things"))
    console.run(c.SubmitDecision("green"))  # a pass
    card_text = console.card_view.text.text()
    # the inject was read out: from the moves phase on its card keeps its title, gives its room
    # to the teams' rows (eight fit at 1024 x 768) and then to the moves
    assert not console.card_view.text.isVisible()
    assert card_text in console.card_view.toolTip()
    console.advance()  # reveal
    qtbot.waitUntil(lambda: console.tabs.currentWidget() is console.moves)
    moves = console.moves
    red = next(r for r in range(moves.rowCount()) if cell_text(moves, r, 1) == "Red")
    move = cell_text(moves, red, MOVE_COLUMN)
    assert move.startswith("Exercise near the border → Blue\nWhy: We show resolve")  # the name, not the id
    assert move.endswith("…") and len(move.split("\n")[1]) < len(long_reason)  # cut short in the cell...
    item = moves.item(red, MOVE_COLUMN)
    assert item is not None
    tooltip = item.toolTip()
    assert " ".join(long_reason.split()) in " ".join(tooltip.split())  # ...whole in its tooltip
    assert "Predicts: Blue backs down" in tooltip
    passed = next(r for r in range(moves.rowCount()) if cell_text(moves, r, 1) == "Green")
    assert cell_text(moves, passed, MOVE_COLUMN) == "Pass"
    # every column fits: nothing to scroll sideways to, and the wrapped move is shown in full height
    widths = sum(moves.columnWidth(column) for column in range(moves.columnCount()))
    assert widths <= moves.viewport().width()
    assert moves.horizontalScrollBar().maximum() == 0
    assert moves.rowHeight(red) >= 3 * moves.fontMetrics().lineSpacing()
    assert not console.card_view.text.isVisible()
    assert card_text in console.card_view.toolTip()
    while session.state.phase is not None and session.state.phase != "inject" and not session.state.ended:
        console.advance()
    assert session.state.phase == "inject"
    assert console.card_view.text.isVisible() and console.card_view.toolTip() == ""


def test_the_console_scrolls_on_a_screen_too_small_for_it(qtbot: QtBot, window: MainWindow) -> None:
    """A 1366×768 laptop at 150% leaves 911×512: the window must fit it, the console scrolling."""
    loaded = load_deck_file(BALTIC_DECK)
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in loaded.deck.teams)
    assert window.start_session(loaded, c.CreateSession(seed=4, teams=teams)) is not None
    hint = window.minimumSizeHint()
    assert hint.width() <= 911 and hint.height() <= 512 - 40, hint
    window.resize(880, 470)
    QtWidgets.QApplication.processEvents()
    area = window.console_area
    assert area is not None and area.verticalScrollBar().maximum() > 0  # the rest is scrolled to
    area.ensureWidgetVisible(window.console.next_button) if window.console else None
    assert window.console is not None and not window.console.next_button.visibleRegion().isEmpty()


def test_the_teams_table_fits_beside_the_chart_with_its_players(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    window.resize(1280, 800)
    console.run(c.AddPlayer("red", "Rosa Luxembourg-Smith"))
    console.run(c.AddPlayer("red", "Amir"))
    while session.state.phase != "moves":
        console.advance()
    console.run(c.SubmitDecision("red", "talk"))
    teams = console.teams
    qtbot.waitUntil(lambda: teams.isVisible() and teams.viewport().width() > 0)
    red = next(r for r in range(teams.rowCount()) if cell_text(teams, r, 1).startswith("Red"))
    assert cell_text(teams, red, 1) == "Red\nRosa Luxembourg-Smith, Amir"  # the players under the name
    item = teams.item(red, 1)
    assert item is not None and "Players: Rosa Luxembourg-Smith, Amir" in item.toolTip()
    assert cell_text(teams, red, 2) == "✔ Moved"
    assert teams.rowHeight(red) >= 2 * teams.fontMetrics().lineSpacing()
    widths = sum(teams.columnWidth(column) for column in range(teams.columnCount()))
    assert widths <= teams.viewport().width()
    assert teams.horizontalScrollBar().maximum() == 0


def test_the_console_fits_a_1024_pixel_screen_in_every_phase(qtbot: QtBot, window: MainWindow) -> None:
    """A classroom laptop mirrored to an old projector runs at 1024×768: the console, and its one
    blue button at the top right, must fit, whatever the phase's button says."""
    loaded = load_deck_file(BALTIC_DECK)
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in loaded.deck.teams)
    session = window.start_session(loaded, c.CreateSession(seed=4, teams=teams))
    assert session is not None and window.console is not None
    console = window.console
    seen: set[str] = set()

    def measure() -> None:
        """At 1024×728 (the screen less a title bar) the console needs no scrolling."""
        seen.add(console.next_button.text())
        window.resize(1024, 728)
        QtWidgets.QApplication.processEvents()
        area = window.console_area
        assert area is not None and area.isAncestorOf(console)
        bars = (area.horizontalScrollBar().maximum(), area.verticalScrollBar().maximum())
        assert bars == (0, 0), (console.next_button.text(), console.minimumSizeHint())

    while session.state.turn < 2:
        console.advance()
        if session.state.phase == "moves":
            first, *others = session.state.active_teams()
            console.run(c.SubmitDecision(first.id, free_text="We close the border and say why"))
            for team in others:
                console.run(c.SubmitDecision(team.id))
            if session.state.turn == 1:  # every team's row and figures in sight, none to scroll to
                window.resize(1024, 728)
                qtbot.waitUntil(lambda: window.width() == 1024 and console.teams.viewport().height() > 0)
                QtWidgets.QApplication.processEvents()  # the moves phase's layout (the size may not change)
                table = console.teams
                assert table.rowCount() == 8
                assert table.verticalScrollBar().maximum() == 0, "the eight teams do not fit"
                assert table.horizontalScrollBar().maximum() == 0, "the objectives are cut"
        measure()
        if session.state.phase == "adjudication" and session.state.turn == 1:
            move = session.state.decisions_in_turn(1)[0]
            console.run(
                c.Adjudicate(move.team, 1, "A firm but lawful step", move.seq)
            )  # the free text scored
            measure()
    assert (
        len(seen) >= 6 and "Score free text" in seen
    )  # every phase's button, and the one waiting for a score
    window.resize(1024, 728)
    qtbot.waitUntil(lambda: window.width() == 1024)
    button = console.next_button
    right = button.mapTo(window, button.rect().topRight()).x()
    assert right < window.width()


def test_the_adjudication_dialog_shows_what_it_adjudicates(qtbot: QtBot, store: Store) -> None:
    teams = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=teams), store)
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", "posture", target="blue", rationale="Show\nresolve"))
    session.execute(c.SubmitDecision("blue", free_text="We call the UN"))
    session.execute(c.SubmitDecision("green"))
    session.execute(c.Advance())  # reveal
    red, blue, _ = session.state.decisions_in_turn(1)
    session.execute(c.Adjudicate("red", 2, "Louder than announced", red.seq))
    dialog = AdjudicationDialog(session.deck, session.state, "red", red.seq)
    qtbot.addWidget(dialog)
    assert dialog.context.text().split("\n") == [
        "Red, turn 1: Exercise near the border → Blue",
        f"Scored {red.value:+g} by the deck" + (f" ({red.note})" if red.note else "."),
        "Why: Show resolve",
        "Already adjudicated +2: Louder than announced",
    ]
    free = AdjudicationDialog(session.deck, session.state, "blue", blue.seq)
    qtbot.addWidget(free)
    assert "Free text: We call the UN" in free.context.text()
    assert "scores nothing until it is adjudicated" in free.context.text()
    whole = AdjudicationDialog(session.deck, session.state, "green")
    qtbot.addWidget(whole)
    assert whole.context.text() == "Green as a whole (not one move), turn 1."
    session.close()


def test_the_inject_preview_reads_as_paragraphs_and_titles_wrap(qtbot: QtBot, store: Store) -> None:
    loaded = load_deck_file(BALTIC_DECK)
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in loaded.deck.teams)
    session = SessionController.create(loaded, c.CreateSession(seed=2, teams=teams), store)
    session.execute(c.Advance())
    dialog = InjectCardDialog(session.deck, session.state)
    qtbot.addWidget(dialog)
    dialog.show_all.setChecked(True)
    card = next(card for card in session.deck.cards if "\n" in card.text.strip())  # wrapped in the YAML
    dialog.select(card.id)
    text = dialog.preview.toPlainText()
    assert " ".join(card.text.split()) in " ".join(text.split())
    assert all(line.strip() for line in text.split("\n\n"))  # the YAML's line breaks are gone...
    assert card.text.strip().split("\n")[0] + "\n" not in text  # ...no paragraph cut mid-sentence
    assert dialog.cards.wordWrap()
    assert dialog.cards.horizontalScrollBarPolicy() == QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    session.close()


def test_undoing_a_move_leaves_the_running_clock_alone(qtbot: QtBot, window: MainWindow) -> None:
    session, console = console_in_moves(qtbot, window)
    run_clock(console, 5)
    left = console.timer.remaining
    team = session.state.active_teams()[0].id
    session.execute(c.SubmitDecision(team=team))
    window.actions_.undo.trigger()
    assert team not in session.state.submitted_teams()
    assert console.timer.running and console.timer.remaining == left
    window.actions_.redo.trigger()
    for other in session.state.active_teams()[1:]:
        session.execute(c.SubmitDecision(team=other.id))
    assert console.timer.running and console.timer.remaining == left
    console.advance()  # the reveal: a new phase, a new clock
    assert session.state.phase == "reveal" and not console.timer.running


def test_undoing_the_end_goes_back_to_the_running_session(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    console.advance()
    session.execute(c.EndSession())
    assert console.pages.currentWidget() is console.outcome
    window.actions_.undo.trigger()
    assert not session.state.ended
    assert console.pages.currentWidget() is console.splitter
    window.actions_.redo.trigger()
    assert session.state.ended and console.pages.currentWidget() is console.outcome


def test_the_move_form_submits_only_what_the_rules_take(qtbot: QtBot, window: MainWindow) -> None:
    session, _ = console_in_moves(qtbot, window)
    dialog = MoveDialog(session.deck, session.state, session.state.active_teams()[0].id)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
    dialog.action_box.setCurrentIndex(dialog.action_box.findData(FREE_TEXT))
    dialog.rationale.setPlainText("We keep our options open.")
    assert not ok.isEnabled() and "free-text box" in dialog.problem.text() and dialog.problem.isVisible()
    dialog.free_text.setPlainText("Call the other side's defence minister.")
    assert ok.isEnabled() and not dialog.problem.isVisible()
    dialog.predict.setPlainText("x" * 5001)
    assert not ok.isEnabled() and "prediction is too long (5,001 characters" in dialog.problem.text()
    dialog.predict.setPlainText("They call back.")
    session.execute(dialog.command())
    assert session.state.decisions[-1].free_text == "Call the other side's defence minister."


def test_reopening_a_session_keeps_the_time_left_in_its_phase(qtbot: QtBot, window: MainWindow) -> None:
    session, console = console_in_moves(qtbot, window)
    run_clock(console, 25)
    key = f"timer/{session.session_id}"
    left = console.timer.remaining
    saved_while_running = json.loads(str(QtCore.QSettings().value(key)))[2]
    assert 0 <= saved_while_running - left < ConsoleView.TIMER_SAVE_S  # what a crash would keep
    window.close_console()  # closed in the middle of the phase: kept to the second
    window.open_session(session.session_id)
    reopened = window.console
    assert reopened is not None and reopened is not console
    assert reopened.timer.remaining == left and not reopened.timer.running
    for team in reopened.session.state.active_teams():
        reopened.session.execute(c.SubmitDecision(team=team.id))
    reopened.advance()  # the next phase has its own full time
    assert reopened.timer.remaining == round(reopened.session.state.phase_minutes["reveal"] * 60)
    reopened.timer.start()
    reopened.timer.pause()  # a pause is saved at once
    saved = json.loads(str(QtCore.QSettings().value(key)))
    assert saved[1:3] == ["reveal", reopened.timer.remaining]
    reopened.session.execute(c.EndSession())
    assert QtCore.QSettings().value(key) is None  # nothing left behind


def test_with_two_moves_a_turn_the_form_refuses_a_late_pass_and_the_table_hides_a_pass(
    qtbot: QtBot, window: MainWindow
) -> None:
    from wargame.deck import load_deck_text

    text = MINI_DECK.read_text(encoding="utf-8").replace("moves_per_turn: 1", "moves_per_turn: 2")
    loaded = load_deck_text(text, "mini-two-moves.yaml")
    teams = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))
    session = window.start_session(loaded, c.CreateSession(seed=2, teams=teams))
    console = window.console
    assert session is not None and console is not None
    while session.state.phase != "moves":
        console.advance()
    session.execute(c.SubmitDecision("red", action="talk"))
    dialog = MoveDialog(session.deck, session.state, "red")
    qtbot.addWidget(dialog)
    dialog.action_box.setCurrentIndex(dialog.action_box.findData(PASS))
    dialog.rationale.setPlainText("typed, and kept")
    ok = dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "cannot pass now" in dialog.problem.text()
    session.execute(c.SubmitDecision("blue"))  # a pass: blue is done
    status = {team: cell_text(console.teams, row, 2) for row, team in enumerate(console.teams.buttons)}
    assert status == {"red": "✔ Moved (1 of 2)", "blue": "✔ Moved (done)", "green": "… Waiting"}


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_both_screens_step_through_the_cards_of_a_turn(qtbot: QtBot, window: MainWindow) -> None:
    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    console.advance()  # turn 1 and its scheduled card
    first = session.state.injections[-1]
    other = next(card for card in session.deck.cards if card.id != first.card)
    shared = window.open_shared_screen()
    assert shared is not None
    assert not console.card_view.next_card.isVisible()
    assert shared.card_heading.text() == "Inject · turn 1"

    session.execute(c.InjectCard(card=other.id))
    assert console.card_view.title.text() == other.title
    assert console.card_view.card_count.text() == "Card 2 of 2"
    assert shared.card_title.text() == other.title
    assert shared.card_heading.text() == "Inject 2 of 2 · turn 1"

    qtbot.mouseClick(console.card_view.previous_card, QtCore.Qt.MouseButton.LeftButton)
    first_title = session.deck.card(first.card).title
    assert console.card_view.title.text() == first_title
    assert shared.card_title.text() == first_title
    assert shared.card_heading.text() == "Inject 1 of 2 · turn 1"
    assert not console.card_view.previous_card.isEnabled() and console.card_view.next_card.isEnabled()

    while session.state.turn == 1:
        if session.state.phase == "moves":
            for team in session.state.active_teams():
                session.execute(c.SubmitDecision(team=team.id))
        session.execute(c.Advance())
    turn_two = [i for i in session.state.injections if i.turn == 2]
    assert turn_two, "the mini deck schedules a card every turn"
    assert console.card_view.heading.text() == "Inject — turn 2"
    assert console.card_view.title.text() == session.deck.card(turn_two[0].card).title
    assert shared.card_heading.text() in ("Inject · turn 2", f"Inject 1 of {len(turn_two)} · turn 2")
