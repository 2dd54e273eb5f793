"""The main window: the start page (new, resume, review) and the console of the open session.

It can be shown before its database is open (`MainWindow()` then `open_database(url)`): the app
paints it first and opens the store after. So this module imports no store, engine or console at
import time; they load when the database opens or a session does.
"""

from __future__ import annotations

import contextlib
import gc
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.errors import WargameError
from wargame.ui.console_actions import ConsoleActions
from wargame.ui.icons import icon
from wargame.ui.qt import QtCore, QtGui, QtWidgets, resize_within_screen, set_shortcut
from wargame.ui.start_page import FAILED_TEXT, LOADING_TEXT, StartPage

if TYPE_CHECKING:  # all imported when first needed: the start page paints sooner
    from wargame.deck import LoadedDeck
    from wargame.engine import commands as c
    from wargame.session import SessionController
    from wargame.store import Store, UnreadableSession
    from wargame.ui.console import ConsoleView
    from wargame.ui.review import ReviewWindow
    from wargame.ui.shared_screen import SharedScreen

LAST_SESSION_KEY = "main/last_session"


class _NoHeightForWidth(QtWidgets.QVBoxLayout):
    """A layout that asks no height for its width. A scroll area gives a widget whose layout does
    the height that its width asks for, and scrolls to it; the console's wrapped labels would
    then make it scroll on any screen. This way it scrolls only below the console's minimum."""

    def hasHeightForWidth(self) -> bool:
        return False


class MainWindow(QtWidgets.QMainWindow):
    """Start page and console in one window; menus and shortcuts for every action.

    Given a store it is ready at once. Without one, its start page says the database is opening
    and every action that needs the store is disabled until `start` (or `open_database`, or
    `attach_store`) gives it one: the app shows the window first and opens the database after.
    """

    def __init__(self, store: Store | None = None) -> None:
        super().__init__()
        self.store: Store | None = None
        self.store_error: str | None = None
        """Why the database could not be opened (None once it is open, or before trying)."""
        self.console: ConsoleView | None = None
        self.shared_screen: SharedScreen | None = None
        self.review_window: ReviewWindow | None = None
        self.start_page = StartPage()
        self.start_page.new_requested.connect(self.new_session)
        self.start_page.resume_requested.connect(self.open_session)
        self.start_page.review_requested.connect(self.review_sessions)
        self._url: str | None = None  # the database URL last opened (or tried)
        self.start_page.retry_requested.connect(lambda: self.start(self._url))
        self.start_page.set_aside_requested.connect(self.set_aside_damaged_database)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.console_area: QtWidgets.QScrollArea | None = None  # made with the first console
        self.setCentralWidget(self.pages)
        self.actions_ = ConsoleActions(self, lambda: self.console)
        self._build_menus()
        resize_within_screen(self, 1400, 900)
        geometry = QtCore.QSettings().value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if store is None:
            self._set_store_actions_enabled(False)
            self.statusBar().showMessage(LOADING_TEXT)
            self.setWindowTitle("wargame")
        else:
            self.attach_store(store)

    # --- the database ---------------------------------------------------------------------------
    def start(self, url: str | None = None) -> bool:
        """Open the database (see `open_database`), then reopen the session that was running when
        the app last stopped (after a crash, say); returns whether the database opened.

        Whatever goes wrong shows in the window, never as a traceback: a bug too, in one line
        (set WARGAME_DEBUG=1 to get its traceback).
        """
        try:
            if not self.open_database(url):
                return False
            self.resume_last()
        except Exception as exc:
            if os.environ.get("WARGAME_DEBUG"):
                raise
            message = f"internal error: {type(exc).__name__}: {exc} (set WARGAME_DEBUG=1 to see details)"
            if self.store is None:
                self._show_store_failure(message)
                return False
            self.statusBar().showMessage(message)
        return True

    def open_database(self, url: str | None = None) -> bool:
        """Open the database at `url` (else $WARGAME_DB or the default file) and list its sessions.

        If it cannot be opened, the start page and the status bar say why (and the start page
        offers to try again); returns whether it opened.
        """
        from wargame.store import Store, default_database_url

        self._url = url
        self.start_page.show_loading()
        self.statusBar().showMessage(LOADING_TEXT)
        try:
            store = Store(url or default_database_url())
        except WargameError as exc:
            self._show_store_failure(str(exc))
            return False
        self.attach_store(store)
        return True

    def _show_store_failure(self, message: str) -> None:
        """The database did not open: the start page says why and offers to try again (or, for a
        damaged SQLite file, to keep it aside and start a new one)."""
        self.store_error = message
        self.start_page.show_failure(message, damaged=self._damaged_file(message) is not None)
        self.statusBar().showMessage(FAILED_TEXT)

    def _damaged_file(self, message: str) -> Path | None:
        from wargame.store import default_database_url
        from wargame.store.recovery import damaged_sqlite_file

        return damaged_sqlite_file(self._url or default_database_url(), message)

    def set_aside_damaged_database(self) -> bool:
        """Rename the damaged database file (nothing is deleted) and open a new one in its place,
        if the facilitator agrees; returns whether a database is open afterwards."""
        from wargame.store.recovery import set_aside

        path = self._damaged_file(self.store_error or "")
        if path is None:
            return self.start(self._url)
        answer = QtWidgets.QMessageBox.question(
            self,
            "Start a new database",
            f"The database file {path} is damaged.\n\nKeep it under another name in the same folder "
            "(nothing is deleted) and start an empty database in its place?",
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        try:
            kept = set_aside(path, datetime.now())
        except OSError as exc:
            QtWidgets.QMessageBox.warning(
                self, "Start a new database", f"Cannot rename {path}: {exc.strerror or exc}"
            )
            return False
        opened = self.start(self._url)
        if opened:
            self.statusBar().showMessage(f"A new database was started; the damaged one is kept as {kept}")
        return opened

    def attach_store(self, store: Store) -> None:
        """Use `store` (the caller closes it): list its sessions and enable what needs it."""
        self.store, self.store_error = store, None
        self.statusBar().showMessage(f"Database: {store.display_url}")
        self._set_store_actions_enabled(True)
        self.show_start_page()

    def _set_store_actions_enabled(self, enabled: bool) -> None:
        for action in (self.new_action, self.review_action):
            action.setEnabled(enabled)

    def _open_store(self) -> Store:
        if self.store is None:
            raise WargameError(self.store_error or "the database is not open yet")
        return self.store

    # --- menus ----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        session_menu = bar.addMenu("&Session")
        key = QtGui.QKeySequence
        self.new_action = self._add(
            session_menu, "&New session…", key.StandardKey.New, self.new_session, "new"
        )
        self.start_action = self._add(
            session_menu, "&Start page", key("Ctrl+Home"), self.show_start_page, "resume"
        )
        self.review_action = self._add(
            session_menu, "&Review sessions…", key("Ctrl+R"), self.review_sessions, "review"
        )
        session_menu.addSeparator()
        session_menu.addAction(self.actions_.end)
        session_menu.addAction(self.actions_.outcome)
        session_menu.addSeparator()
        self._add(session_menu, "&Quit", key("Ctrl+Q"), self.close, "quit")  # Quit has no binding on Linux
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.actions_.undo)
        edit_menu.addAction(self.actions_.redo)
        turn_menu = bar.addMenu("&Turn")
        for action in (self.actions_.next, self.actions_.timer, self.actions_.minute, self.actions_.inject):
            turn_menu.addAction(action)
        teams_menu = bar.addMenu("T&eams")
        for action in (
            self.actions_.add_player,
            self.actions_.remove_player,
            self.actions_.add_team,
            self.actions_.rename,
            self.actions_.merge,
            self.actions_.remove,
        ):
            teams_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        self.shared_screen_action = self._add(
            view_menu, "&Shared screen", key("Ctrl+Shift+S"), self.open_shared_screen, ""
        )
        self.shared_screen_action.setToolTip(
            "Open the display for the room (projector): send it to a monitor, F11 for full screen"
        )
        self.send_menu = view_menu.addMenu("Send the shared screen &to")
        self.send_menu.setToolTip("Move the shared screen to a connected monitor (the projector)")
        self.send_menu.aboutToShow.connect(self._fill_send_menu)
        self._add(
            view_menu, "Shared screen &full screen", key("Ctrl+Shift+F"), self._toggle_shared_full_screen, ""
        )
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&About wargame", None, self._about, "")
        toolbar = self.addToolBar("Session")
        toolbar.setObjectName("session_toolbar")
        for action in (self.actions_.next, self.actions_.timer, self.actions_.minute, self.actions_.inject):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.actions_.undo)
        toolbar.addAction(self.actions_.redo)
        self.actions_.update()

    def _add(
        self,
        menu: QtWidgets.QMenu,
        text: str,
        shortcut: QtGui.QKeySequence | QtGui.QKeySequence.StandardKey | None,
        slot: object,
        icon_name: str,
    ) -> QtGui.QAction:
        action = QtGui.QAction(icon(icon_name), text, self)
        if shortcut is not None:
            set_shortcut(action, shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- pages ----------------------------------------------------------------------------------
    def show_start_page(self) -> None:
        if self.store is not None:
            try:
                # reads each stored deck's outcomes
                from wargame.ui.review_browser import session_rows, unreadable_note

                unreadable: list[UnreadableSession] = []
                self.start_page.show_sessions(
                    session_rows(self.store, unreadable), unreadable_note(unreadable)
                )
            except WargameError as exc:
                self.statusBar().showMessage(f"Cannot read the sessions: {exc}")
                if not self.start_page.loaded:
                    self.start_page.show_unreadable(str(exc))
        self.pages.setCurrentWidget(self.start_page)
        self.setWindowTitle("wargame")
        self.close_shared_screen()
        self.actions_.update()

    def new_session(self) -> None:
        if self.store is None:
            return
        from wargame.ui.wizard import ask_new_session

        answer = ask_new_session(self)
        if answer is not None:
            self.start_session(*answer)

    def start_session(self, loaded: LoadedDeck, setup: c.CreateSession) -> SessionController | None:
        from wargame.session import SessionController

        try:
            session = SessionController.create(loaded, setup, self._open_store())
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot create the session", str(exc))
            return None
        self.show_console(session)
        return session

    def open_session(self, session_id: str, *, take_over: bool = False) -> SessionController | None:
        """Open a session to run it; one another instance is running opens read-only (with a banner)."""
        from wargame.session import SessionController

        try:
            session = SessionController.open(self._open_store(), session_id, write=True, take_over=take_over)
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot open the session", str(exc))
            return None
        self.show_console(session)
        return session

    def show_console(self, session: SessionController) -> None:
        from wargame.ui.console import ConsoleView

        self.close_shared_screen()
        self.close_console()
        self.console = ConsoleView(session)
        self.console.changed.connect(self.actions_.update)
        self.console.take_over_requested.connect(lambda: self._take_over(session.session_id))
        if self.console_area is None:
            # The console scrolls where the screen is smaller than it can shrink (a 1366×768
            # laptop at 150%: its blue button and last teams were off the screen), else no bars.
            self.console_area = QtWidgets.QScrollArea()
            self.console_area.setWidgetResizable(True)
            self.console_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
            self.pages.addWidget(self.console_area)
        holder = QtWidgets.QWidget()
        layout = _NoHeightForWidth(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.console)
        self.console_area.setWidget(holder)
        self.pages.setCurrentWidget(self.console_area)
        QtCore.QSettings().setValue(LAST_SESSION_KEY, session.session_id)
        label = session.state.class_label or "session"
        self.setWindowTitle(f"wargame — {session.deck.title} — {label}")
        self.actions_.update()
        exempt_from_full_collections()

    def close_console(self) -> None:
        """Close the open session (other instances may then run it)."""
        if self.console is None:
            return
        console, self.console = self.console, None
        console.save_timer()
        console.lease_timer.stop()
        console.retry_timer.stop()
        with contextlib.suppress(WargameError):  # unreachable: the lease runs out by itself
            console.session.close()
        if self.console_area is not None:
            holder = self.console_area.takeWidget()
            if holder is not None:
                holder.deleteLater()  # and the console in it
        else:
            console.deleteLater()

    def _take_over(self, session_id: str) -> None:
        answer = QtWidgets.QMessageBox.question(
            self,
            "Take over the session",
            "Run this session here? Only do this if the other instance has stopped (for example its "
            "laptop crashed): two instances must never run one session.",
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.open_session(session_id, take_over=True)

    def open_shared_screen(self) -> SharedScreen | None:
        """Open (or raise) the shared screen of the open session."""
        if (
            self.console is None
            or self.console_area is None
            or self.pages.currentWidget() is not self.console_area
        ):
            self.statusBar().showMessage("Open a session first: the shared screen shows its session.", 5000)
            return None
        if self.shared_screen is None or self.shared_screen.session is not self.console.session:
            self.close_shared_screen()
            from wargame.ui.shared_screen import SharedScreen

            self.shared_screen = SharedScreen(
                self.console.session, self.console.timer, self.console.turn_cards
            )
            self.shared_screen.store_failed.connect(self.console.show_store_failure)
        self.shared_screen.show()
        self.shared_screen.raise_()
        self.shared_screen.activateWindow()
        return self.shared_screen

    def _fill_send_menu(self) -> None:
        """One entry per connected monitor; choosing one opens the shared screen there."""
        self.send_menu.clear()
        for number, screen in enumerate(QtGui.QGuiApplication.screens(), start=1):
            size = screen.geometry().size()
            action = self.send_menu.addAction(f"{number}: {screen.name()} ({size.width()}×{size.height()})")
            action.triggered.connect(lambda _checked=False, chosen=screen: self.send_shared_screen_to(chosen))

    def send_shared_screen_to(self, screen: QtGui.QScreen) -> None:
        shared = self.open_shared_screen()
        if shared is not None:
            shared.send_to_screen(screen)

    def _toggle_shared_full_screen(self) -> None:
        shared = self.open_shared_screen()
        if shared is not None:
            shared.toggle_full_screen()

    def close_shared_screen(self) -> None:
        if self.shared_screen is not None:
            screen, self.shared_screen = self.shared_screen, None
            screen.close()
            screen.deleteLater()

    def resume_last(self) -> bool:
        """Reopen the session that was open when the app last stopped, if it is unfinished."""
        session_id = QtCore.QSettings().value(LAST_SESSION_KEY)
        if not session_id or self.store is None:
            return False
        try:
            info = self.store.session(str(session_id))
        except WargameError:
            return False
        if info.status != "running":
            return False
        return self.open_session(info.id) is not None

    def review_sessions(self) -> None:
        if self.store is None:
            return
        if self.review_window is None:
            from wargame.ui.review import ReviewWindow

            self.review_window = ReviewWindow(self.store)  # lists the sessions as it is built
        else:
            self.review_window.refresh()
        self.review_window.show()
        self.review_window.raise_()

    def _about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About wargame",
            "wargame runs classroom tabletop wargames: teams, injects, hidden moves, an escalation "
            f"index and a debrief.\n\nDatabase: {self._database_text()}",
        )

    def _database_text(self) -> str:
        if self.store is not None:
            return self.store.display_url
        return f"not open ({self.store_error})" if self.store_error else "opening…"

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.console is not None and self.console.session.pending_command is not None:
            answer = QtWidgets.QMessageBox.question(
                self,
                "A move is not stored yet",
                "The database did not take the last move: it is kept here but not stored. "
                "Quit anyway and lose it?",
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        QtCore.QSettings().setValue("main/geometry", self.saveGeometry())
        self.close_console()
        if self.review_window is not None:
            self.review_window.close()
        self.close_shared_screen()
        super().closeEvent(event)


def exempt_from_full_collections() -> None:
    """Keep what is alive now (the open session's events, state and widgets) out of the garbage
    collector's full passes.

    A full pass walks every tracked object: with a 10,000-event session open it takes ~30 ms, a
    visible hitch when it falls on a command (it fell on reveals). Freezing moves today's objects
    out of its reach; what was frozen for an earlier session is unfrozen and collected first.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
