"""The desktop start: the main window paints before the store opens, then fills its start page.

The subprocess tests run `wargame` (no sub-command) as `python -m wargame` does, with a spy that
records the loaded modules and the start page at the window's first paint, then waits for the
database to open and records the page again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK, REPO
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.app import after_first_paint
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QtCore, QtWidgets
from wargame.ui.start_page import LOADING_TEXT

TEAMS = (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",)))

# Packages and modules the start must not load before its first paint.
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "yaml",
    "PySide6.QtCharts",
    "PySide6.QtSvg",
    "wargame.store",
    "wargame.deck",
    "wargame.engine",
    "wargame.session",
    "wargame.report",
    "wargame.ui.console",
    "wargame.ui.wizard",
    "wargame.ui.review",
    "wargame.cli.deck_commands",
)

SPY = r"""
import json, sys
from PySide6 import QtCore, QtWidgets
import wargame.ui.app as app_module
from wargame.cli import main

report = {}


USER_ROLE = QtCore.Qt.ItemDataRole.UserRole


def page_state(window):
    page = window.start_page
    return {
        "loaded": page.loaded,
        "items": [page.sessions.item(row).text() for row in range(page.sessions.count())],
        "ids": [page.sessions.item(row).data(USER_ROLE) for row in range(page.sessions.count())],
        "buttons": [b.isEnabled() for b in (page.new_button, page.resume_button, page.review_button)],
        "actions": [window.new_action.isEnabled(), window.review_action.isEnabled()],
        "message": page.message.text() if page.message.isVisibleTo(page) else None,
        "retry": page.retry_button.isVisibleTo(page),
        "status": window.statusBar().currentMessage(),
        "store_error": window.store_error,
        "console": None if window.console is None else window.console.session.session_id,
    }


class Spy(QtCore.QObject):
    def __init__(self, app):
        super().__init__(app)
        self.app, self.window = app, None

    def eventFilter(self, watched, event):
        painted = event.type() == QtCore.QEvent.Type.Paint
        if self.window is None and painted and type(watched).__name__ == "MainWindow":
            self.window = watched
            report["modules_at_first_paint"] = sorted(sys.modules)
            report["at_first_paint"] = page_state(watched)
            self.app.removeEventFilter(self)
            self.poll = QtCore.QTimer(self)
            self.poll.timeout.connect(self.check)
            self.poll.start(20)
            QtCore.QTimer.singleShot(30000, self.app.quit)  # never filled in: the report has no "after"
        return False

    def check(self):
        if self.window.start_page.loaded or self.window.store_error is not None:
            self.poll.stop()
            report["after"] = page_state(self.window)
            self.app.quit()


made = app_module.make_application


def spied(*args):
    app = made(*args)
    app.installEventFilter(Spy(app))
    return app


app_module.make_application = spied
code = main(sys.argv[1:])
print("REPORT " + json.dumps(report))
sys.exit(code)
"""


def run_start(
    tmp_path: Path, *args: str, last_session: str | None = None, wargame_db: str | None = None
) -> tuple[int, dict[str, Any], str]:
    """Start the app in a subprocess; returns its exit code, the spy's report and its stderr."""
    config = tmp_path / "config"
    if last_session is not None:  # what the app wrote when it last stopped (crashed) with it open
        (config / "wargame").mkdir(parents=True, exist_ok=True)
        (config / "wargame" / "wargame.conf").write_text(f"[main]\nlast_session={last_session}\n")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
        "XDG_CONFIG_HOME": str(config),
        "WARGAME_DATA_DIR": str(tmp_path / "data"),
    }
    for name in ("WARGAME_DB", "WARGAME_EXIT_AFTER_FIRST_PAINT", "WARGAME_DEBUG"):
        env.pop(name, None)
    if wargame_db is not None:
        env["WARGAME_DB"] = wargame_db
    done = subprocess.run(
        [sys.executable, "-c", SPY, *args], env=env, capture_output=True, text=True, timeout=120, cwd=REPO
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, done.stderr
    report = json.loads(lines[-1].removeprefix("REPORT "))
    assert "at_first_paint" in report, "the main window was never painted"
    assert "after" in report, "the start page never filled in (or said why it could not)"
    return done.returncode, report, done.stderr


def heavy_modules(modules: list[str]) -> list[str]:
    return [name for name in modules if any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)]


def make_sessions(url: str) -> tuple[str, str]:
    """Two sessions: one ended, one still running (the newer). Returns (running, ended)."""
    loaded = load_deck_file(MINI_DECK)
    with Store(url) as store:
        ended = SessionController.create(loaded, c.CreateSession(seed=1, teams=TEAMS), store)
        ended.execute(c.Advance())
        ended.execute(c.EndSession())
        running = SessionController.create(loaded, c.CreateSession(seed=2, teams=TEAMS), store)
        running.close()
        ended.close()
        return running.session_id, ended.session_id


@pytest.mark.parametrize("given", ["--db URL", "--db=URL", "WARGAME_DB"])
def test_the_window_paints_loading_before_the_store_is_imported_then_lists_the_sessions(
    tmp_path: Path, given: str
) -> None:
    url = f"sqlite:///{tmp_path / 'start.sqlite3'}"
    running, ended = make_sessions(url)
    if given == "WARGAME_DB":
        code, report, stderr = run_start(tmp_path, wargame_db=url)
    else:
        code, report, stderr = run_start(tmp_path, *given.replace("URL", url).split())

    assert code == 0, stderr
    assert heavy_modules(report["modules_at_first_paint"]) == []
    first = report["at_first_paint"]
    assert not first["loaded"]
    assert first["items"] == [LOADING_TEXT]
    assert first["buttons"] == [False, False, False]
    assert first["actions"] == [False, False]
    assert first["status"] == LOADING_TEXT

    after = report["after"]
    assert after["loaded"] and after["store_error"] is None
    assert after["ids"] == [running, ended]  # the running session first
    deck = load_deck_file(MINI_DECK).deck
    with Store(url) as store:
        outcome = store.session(ended).outcome
    title = next(o.title for o in deck.outcomes if o.id == outcome)
    assert after["items"][0].endswith(f"no class label  ·  not started yet  ·  {deck.title}")
    assert f"ended: {title}  ·  " in after["items"][1]  # the outcome by its title, not its id
    assert outcome is not None and f"ended: {outcome} " not in after["items"][1]
    assert after["buttons"] == [True, True, True]
    assert after["actions"] == [True, True]
    assert after["status"] == f"Database: {url}"
    assert after["console"] is None  # no session was open when the app last stopped


def test_the_default_database_opens_and_the_session_open_at_a_crash_resumes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    running, _ended = make_sessions(f"sqlite:///{data / 'wargame.sqlite3'}")  # the default file
    code, report, stderr = run_start(tmp_path, last_session=running)

    assert code == 0, stderr
    assert heavy_modules(report["modules_at_first_paint"]) == []
    assert report["after"]["loaded"]
    assert report["after"]["console"] == running


def test_a_database_that_cannot_be_opened_is_explained_in_the_window(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    code, report, stderr = run_start(tmp_path, f"--db=sqlite:///{blocker / 'db.sqlite3'}")

    assert code == 1
    assert "Traceback" not in stderr
    assert "wargame: error: cannot open database" in stderr
    after = report["after"]
    assert not after["loaded"]
    assert "could not be opened" in after["message"] and "is not a folder" in after["message"]
    assert after["retry"]
    assert after["buttons"] == [False, False, False]
    assert after["actions"] == [False, False]


def test_a_window_without_a_store_acts_on_nothing_until_it_opens_one(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'later.sqlite3'}"
    running, ended = make_sessions(url)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    page = window.start_page
    assert not page.loaded and window.store is None
    opened: list[object] = []
    monkeypatch.setattr("wargame.ui.wizard.ask_new_session", lambda parent: opened.append(parent))
    window.new_session()  # Ctrl+N is disabled too; even called, nothing happens without a store
    window.review_sessions()
    page.resume_button.click()
    page.sessions.itemDoubleClicked.emit(page.sessions.item(0))
    assert opened == [] and window.review_window is None and window.console is None

    assert window.start(url)
    assert page.loaded
    role = QtCore.Qt.ItemDataRole.UserRole
    assert [page.sessions.item(row).data(role) for row in range(page.sessions.count())] == [running, ended]
    page.resume_button.click()
    assert window.console is not None and window.console.session.session_id == running
    window.close_console()
    assert window.store is not None
    window.store.close()


def test_try_again_opens_the_database_once_the_problem_is_gone(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "folder"
    blocker.write_text("a file where the database folder should be")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.start(f"sqlite:///{blocker / 'db.sqlite3'}")
    page = window.start_page
    assert window.store_error is not None and "is not a folder" in window.store_error
    assert page.retry_button.isVisibleTo(page) and not page.new_button.isEnabled()
    assert not page.set_aside_button.isVisibleTo(page)  # no damaged file: nothing to set aside

    blocker.unlink()
    page.retry_button.click()
    assert window.store is not None and window.store_error is None
    assert page.loaded and page.new_button.isEnabled() and not page.retry_button.isVisibleTo(page)
    assert [page.sessions.item(row).text() for row in range(page.sessions.count())] == [
        "No sessions yet: start one with “New session…”."
    ]
    assert not page.sessions.item(0).flags() & QtCore.Qt.ItemFlag.ItemIsSelectable  # a line, not a session
    window.store.close()


def answer_question(yes: bool) -> None:
    """Answer the next question box as soon as it opens."""

    def answer() -> None:
        box = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(box, QtWidgets.QMessageBox):
            QtCore.QTimer.singleShot(10, answer)
            return
        box.button(
            QtWidgets.QMessageBox.StandardButton.Yes if yes else QtWidgets.QMessageBox.StandardButton.No
        ).click()

    QtCore.QTimer.singleShot(0, answer)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_file_is_kept_aside_and_a_new_one_started(
    qtbot: QtBot, tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "wargame.sqlite3"
    if damage == "garbage":
        path.write_bytes(b"these are not the bytes of a database" * 100)
    else:
        make_sessions(f"sqlite:///{path}")
        path.write_bytes(path.read_bytes()[:2000])  # the header of a database, and little else
    original = path.read_bytes()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.start(f"sqlite:///{path}")
    page = window.start_page
    assert page.set_aside_button.isVisibleTo(page) and "The file is damaged" in page.message.text()

    answer_question(yes=False)
    page.set_aside_button.click()
    assert window.store is None and path.read_bytes() == original

    answer_question(yes=True)
    page.set_aside_button.click()
    assert window.store is not None and page.loaded and page.new_button.isEnabled()
    assert not page.set_aside_button.isVisibleTo(page)
    kept = [file for file in tmp_path.iterdir() if file.name.startswith("wargame.sqlite3.damaged-")]
    assert [file.read_bytes() for file in kept] == [original]  # nothing deleted
    assert str(kept[0]) in window.statusBar().currentMessage()
    window.store.close()


def test_a_session_whose_row_is_damaged_is_named_and_the_others_listed(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'damaged.sqlite3'}"
    running, ended = make_sessions(url)
    with sqlite3.connect(tmp_path / "damaged.sqlite3") as db:
        db.execute("UPDATE sessions SET created_at = 'garbage' WHERE id = ?", (ended,))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.start(url)
    page = window.start_page
    assert page.loaded and page.sessions.count() == 1
    assert page.sessions.item(0).data(QtCore.Qt.ItemDataRole.UserRole) == running
    assert page.message.isVisibleTo(page)
    assert page.message.text() == (
        f"Not listed, their stored rows are damaged: {ended[:12]} "
        "(its created_at holds 'garbage', not a time)"
    )
    assert window.store is not None
    window.store.close()


def test_the_first_paint_hook_runs_once_after_the_paint(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    calls: list[bool] = []
    after_first_paint(window, lambda: calls.append(window.isVisible()), at_latest_ms=200)
    qtbot.wait(20)
    assert calls == []  # not before the window is painted
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
    qtbot.wait(300)  # past at_latest_ms: it does not run again
    assert calls == [True]


def test_the_first_paint_hook_runs_at_the_latest_after_its_delay(qtbot: QtBot) -> None:
    window = MainWindow()  # never shown, so never painted (as a window started minimized may not be)
    qtbot.addWidget(window)
    calls: list[str] = []
    after_first_paint(window, lambda: calls.append("run"), at_latest_ms=10)
    qtbot.waitUntil(lambda: calls == ["run"])
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert calls == ["run"]


def test_the_windows_open_within_a_small_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """A 1366×768 classroom laptop: the windows' usual sizes are cut to the screen's room."""
    from wargame.ui.review import ReviewWindow

    store = Store(f"sqlite:///{tmp_path / 'small.sqlite3'}")

    room = QtWidgets.QApplication.primaryScreen().availableGeometry().size()
    assert room.width() < 1300  # offscreen's screen is smaller than the windows' usual sizes
    for window in (MainWindow(store), ReviewWindow(store)):
        qtbot.addWidget(window)
        assert window.width() <= room.width() and window.height() <= room.height()
    store.close()
