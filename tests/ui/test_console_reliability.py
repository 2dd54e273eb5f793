"""The console when the database misbehaves: the move is kept and stored later; a session run
by another instance opens read-only with a banner and can be taken over."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK, REPO
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store, db
from wargame.ui.console import ConsoleView
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QtCore, QtWidgets

TEAMS = (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",)))


def console_in_moves(qtbot: QtBot, store: Store) -> tuple[MainWindow, SessionController, ConsoleView]:
    """A window on `store` with a new session of the mini deck in turn 1's moves phase."""
    window = MainWindow(store)
    qtbot.addWidget(window)
    session = window.start_session(load_deck_file(MINI_DECK), c.CreateSession(seed=2, teams=TEAMS))
    console = window.console
    assert session is not None and console is not None
    while session.state.phase != "moves":
        console.advance()
    return window, session, console


def test_a_locked_database_keeps_the_move_until_it_is_stored(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.sqlite3"
    with Store(f"sqlite:///{path}") as store:
        window, session, console = console_in_moves(qtbot, store)
        console.RETRY_MS = 50
        console.retry_timer.setInterval(50)
        blocker = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            move = c.SubmitDecision("red", action="talk", rationale="typed before the lock")
            assert not console.run(move)
            assert console.banner.isVisibleTo(window)
            assert "cannot be reached" in console.banner.text.text()
            assert session.pending_command == move
            assert console.retry_timer.isActive()
        finally:
            blocker.execute("COMMIT")
            blocker.close()
        qtbot.waitUntil(lambda: session.pending_command is None, timeout=5000)
        assert not console.retry_timer.isActive()
        assert "stored" in console.banner.text.text()
        stored = [e for e in store.events(session.session_id) if e.kind == "decision_recorded"]
        assert [e.data["rationale"] for e in stored] == ["typed before the lock"]
        window.close()


HOLDER_SCRIPT = """
import sys, time
from wargame.store import Store
store = Store(sys.argv[1])
store.take_lease(sys.argv[2])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_session_run_elsewhere_opens_read_only_and_can_be_taken_over(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with Store(url) as store:
        created = SessionController.create(
            load_deck_file(MINI_DECK), c.CreateSession(seed=2, teams=TEAMS), store
        )
        created.close()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with subprocess.Popen(
            [sys.executable, "-c", HOLDER_SCRIPT, url, created.session_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        ) as holder:
            try:
                assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
                window = MainWindow(store)
                qtbot.addWidget(window)
                session = window.open_session(created.session_id)
                console = window.console
                assert session is not None and console is not None
                assert session.read_only and "another instance" in session.read_only
                assert console.banner.isVisibleTo(window)
                assert console.banner.text.text().startswith("Read-only:")
                assert not console.next_button.isEnabled()
                assert not console.run(c.Advance())  # refused with the banner, never raised

                answers = iter(
                    [QtWidgets.QMessageBox.StandardButton.No, QtWidgets.QMessageBox.StandardButton.Yes]
                )
                monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *_args: next(answers))
                take_over = console.banner.button("Take over this session")
                qtbot.mouseClick(take_over, QtCore.Qt.MouseButton.LeftButton)
                assert window.console is console  # "No": nothing changed
                qtbot.mouseClick(take_over, QtCore.Qt.MouseButton.LeftButton)
                assert window.console is not console and window.console is not None
                assert window.console.session.read_only is None
                assert window.console.run(c.Advance())
                window.close()
            finally:
                holder.kill()
                holder.wait(timeout=10)


def test_a_session_with_deleted_events_opens_read_only_without_a_take_over(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "altered.sqlite3"
    with Store(f"sqlite:///{path}") as store:
        created = SessionController.create(
            load_deck_file(MINI_DECK), c.CreateSession(seed=2, teams=TEAMS), store
        )
        for _ in range(3):  # turn 1 and its card, deliberation, moves
            created.execute(c.Advance())
        created.execute(c.AddNote("a note"))
        created.close()
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM events WHERE seq > 4")
        window = MainWindow(store)
        qtbot.addWidget(window)
        session = window.open_session(created.session_id)
        console = window.console
        assert session is not None and console is not None
        text = console.banner.text.text()
        assert text.startswith("Read-only: its stored events do not match its record") and "verify" in text
        assert console.banner.buttons == []  # no lease to take: the log itself is in question
        assert not console.next_button.isEnabled()


def test_a_database_that_takes_no_writes_keeps_the_move_and_waits_for_the_facilitator(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wargame.store.store import StoreNotWritable

    with Store(f"sqlite:///{tmp_path / 'full.sqlite3'}") as store:
        _, session, console = console_in_moves(qtbot, store)
        append = store.append

        def disk_full(*args: object, **kwargs: object) -> None:
            raise StoreNotWritable("the disk holding full.sqlite3 is full; nothing was written")

        monkeypatch.setattr(store, "append", disk_full)
        move = c.SubmitDecision("red", action="talk", rationale="typed on a full disk")
        assert not console.run(move)
        text = console.banner.text.text()
        assert text.startswith("The database takes no writes: the disk holding full.sqlite3 is full")
        assert "it will be stored once that is put right" in text and "cannot be reached" not in text
        assert not console.retry_timer.isActive()  # retrying by itself mends nothing
        assert session.pending_command == move

        monkeypatch.setattr(store, "append", append)  # the facilitator freed some room
        console.banner.button("Retry now").click()
        assert session.pending_command is None
        assert session.state.decisions[-1].rationale == "typed on a full disk"


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_a_move_entered_on_the_shared_screen_is_kept_and_retried_as_in_the_console(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wargame.store.store import StoreUnavailable

    with Store(f"sqlite:///{tmp_path / 'down.sqlite3'}") as store:
        window, session, console = console_in_moves(qtbot, store)
        console.retry_timer.setInterval(50)
        shared = window.open_shared_screen()
        assert shared is not None
        append = store.append

        def server_down(*args: object, **kwargs: object) -> None:
            raise StoreUnavailable("the database server cannot be reached; nothing was written")

        monkeypatch.setattr(store, "append", server_down)
        assert shared.open_entry("red")
        assert shared.entry is not None
        shared.entry.action_box.setCurrentIndex(shared.entry.action_box.findData("talk"))
        shared.entry.rationale.setPlainText("typed on the projector")
        shared.entry.accept()
        assert shared.entry is None  # the team is done: its move is kept
        assert session.pending_command is not None
        assert console.banner.isVisibleTo(window) and "cannot be reached" in console.banner.text.text()
        assert console.retry_timer.isActive()
        monkeypatch.setattr(store, "append", append)  # the server is back
        qtbot.waitUntil(lambda: session.pending_command is None, timeout=5000)
        assert session.state.decisions[-1].rationale == "typed on the projector"
        window.close()
