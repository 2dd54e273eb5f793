"""The main window: the start page (new, resume, review) and the console of the open session."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from wargame.deck import LoadedDeck
from wargame.engine import commands as c
from wargame.errors import WargameError
from wargame.session import SessionController
from wargame.store import SessionInfo, Store
from wargame.ui.console import ConsoleActions, ConsoleView
from wargame.ui.icons import icon
from wargame.ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:  # both are imported when first opened: the start page paints sooner
    from wargame.ui.review import ReviewWindow
    from wargame.ui.shared_screen import SharedScreen

LAST_SESSION_KEY = "main/last_session"


class StartPage(QtWidgets.QWidget):
    """New session, resume a session (unfinished ones first), review sessions.

    Signals: `new_requested`, `resume_requested(session_id)`, `review_requested`.
    """

    new_requested = QtCore.Signal()
    resume_requested = QtCore.Signal(str)
    review_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        title = QtWidgets.QLabel("wargame")
        title.setObjectName("title")
        subtitle = QtWidgets.QLabel(
            "Run a classroom crisis exercise: teams, injects, moves, escalation, debrief."
        )
        subtitle.setObjectName("subtitle")
        subtitle.setWordWrap(True)
        self.new_button = QtWidgets.QPushButton("New session…")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Set up a new session: deck, class, teams, timing and seed (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested.emit)
        self.new_button.setIcon(icon("new"))
        self.sessions = QtWidgets.QListWidget()
        self.sessions.setToolTip("Unfinished sessions first; double-click to resume")
        self.sessions.itemDoubleClicked.connect(self._resume_item)
        self.resume_button = QtWidgets.QPushButton("Resume the selected session")
        self.resume_button.clicked.connect(lambda: self._resume_item(self.sessions.currentItem()))
        self.review_button = QtWidgets.QPushButton("Review sessions…")
        self.review_button.setToolTip("Browse every stored session and its timeline")
        self.review_button.clicked.connect(self.review_requested.emit)
        box = QtWidgets.QGroupBox("Resume a session")
        box_layout = QtWidgets.QVBoxLayout(box)
        box_layout.addWidget(self.sessions)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        box_layout.addLayout(buttons)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(12)
        layout.addWidget(self.new_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(12)
        layout.addWidget(box, 1)

    def show_sessions(self, sessions: list[SessionInfo]) -> None:
        self.sessions.clear()
        if not sessions:
            empty = QtWidgets.QListWidgetItem("No sessions yet: start one with “New session…”.")
            empty.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)
            self.sessions.addItem(empty)
            self.resume_button.setEnabled(False)
            return
        ordered = sorted(sessions, key=lambda info: (info.status != "running", -info.updated_at.timestamp()))
        for info in ordered:
            state = (
                f"turn {info.current_turn}, running" if info.status == "running" else f"ended: {info.outcome}"
            )
            label = (
                f"{info.updated_at.strftime('%Y-%m-%d %H:%M')}  ·  {info.deck_title}  ·  "
                f"{info.class_label or 'no class label'}  ·  {state}"
            )
            item = QtWidgets.QListWidgetItem(label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, info.id)
            self.sessions.addItem(item)
        if self.sessions.count():
            self.sessions.setCurrentRow(0)
        self.resume_button.setEnabled(self.sessions.count() > 0)

    def _resume_item(self, item: QtWidgets.QListWidgetItem | None) -> None:
        if item is not None:
            self.resume_requested.emit(str(item.data(QtCore.Qt.ItemDataRole.UserRole)))


class MainWindow(QtWidgets.QMainWindow):
    """Start page and console in one window; menus and shortcuts for every action."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.console: ConsoleView | None = None
        self.shared_screen: SharedScreen | None = None
        self.review_window: ReviewWindow | None = None
        self.start_page = StartPage()
        self.start_page.new_requested.connect(self.new_session)
        self.start_page.resume_requested.connect(self.open_session)
        self.start_page.review_requested.connect(self.review_sessions)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.setCentralWidget(self.pages)
        self.actions_ = ConsoleActions(self, lambda: self.console)
        self._build_menus()
        self.statusBar().showMessage(f"Database: {store.display_url}")
        self.resize(1400, 900)
        geometry = QtCore.QSettings().value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        self.show_start_page()

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
        self._add(session_menu, "&Review sessions…", key("Ctrl+R"), self.review_sessions, "review")
        session_menu.addSeparator()
        session_menu.addAction(self.actions_.end)
        session_menu.addAction(self.actions_.outcome)
        session_menu.addSeparator()
        self._add(session_menu, "&Quit", QtGui.QKeySequence.StandardKey.Quit, self.close, "quit")
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.actions_.undo)
        edit_menu.addAction(self.actions_.redo)
        turn_menu = bar.addMenu("&Turn")
        for action in (self.actions_.next, self.actions_.timer, self.actions_.minute, self.actions_.inject):
            turn_menu.addAction(action)
        teams_menu = bar.addMenu("T&eams")
        for action in (
            self.actions_.add_player,
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
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- pages ----------------------------------------------------------------------------------
    def show_start_page(self) -> None:
        try:
            self.start_page.show_sessions(self.store.sessions())
        except WargameError as exc:
            self.statusBar().showMessage(f"Cannot read the sessions: {exc}")
        self.pages.setCurrentWidget(self.start_page)
        self.setWindowTitle("wargame")
        self.close_shared_screen()
        self.actions_.update()

    def new_session(self) -> None:
        from wargame.ui.wizard import ask_new_session

        answer = ask_new_session(self)
        if answer is not None:
            self.start_session(*answer)

    def start_session(self, loaded: LoadedDeck, setup: c.CreateSession) -> SessionController | None:
        try:
            session = SessionController.create(loaded, setup, self.store)
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot create the session", str(exc))
            return None
        self.show_console(session)
        return session

    def open_session(self, session_id: str, *, take_over: bool = False) -> SessionController | None:
        """Open a session to run it; one another instance is running opens read-only (with a banner)."""
        try:
            session = SessionController.open(self.store, session_id, write=True, take_over=take_over)
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot open the session", str(exc))
            return None
        self.show_console(session)
        return session

    def show_console(self, session: SessionController) -> None:
        self.close_shared_screen()
        self.close_console()
        self.console = ConsoleView(session)
        self.console.changed.connect(self.actions_.update)
        self.console.take_over_requested.connect(lambda: self._take_over(session.session_id))
        self.pages.addWidget(self.console)
        self.pages.setCurrentWidget(self.console)
        QtCore.QSettings().setValue(LAST_SESSION_KEY, session.session_id)
        label = session.state.class_label or "session"
        self.setWindowTitle(f"wargame — {session.deck.title} — {label}")
        self.actions_.update()

    def close_console(self) -> None:
        """Close the open session (other instances may then run it)."""
        if self.console is None:
            return
        console, self.console = self.console, None
        console.lease_timer.stop()
        console.retry_timer.stop()
        with contextlib.suppress(WargameError):  # unreachable: the lease runs out by itself
            console.session.close()
        self.pages.removeWidget(console)
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
        if self.console is None or self.pages.currentWidget() is not self.console:
            self.statusBar().showMessage("Open a session first: the shared screen shows its session.", 5000)
            return None
        if self.shared_screen is None or self.shared_screen.session is not self.console.session:
            self.close_shared_screen()
            from wargame.ui.shared_screen import SharedScreen

            self.shared_screen = SharedScreen(self.console.session, self.console.timer)
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
        if not session_id:
            return False
        try:
            info = self.store.session(str(session_id))
        except WargameError:
            return False
        if info.status != "running":
            return False
        return self.open_session(info.id) is not None

    def review_sessions(self) -> None:
        if self.review_window is None:
            from wargame.ui.review import ReviewWindow

            self.review_window = ReviewWindow(self.store)
        self.review_window.refresh()
        self.review_window.show()
        self.review_window.raise_()

    def _about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About wargame",
            "wargame runs classroom tabletop wargames: teams, injects, hidden moves, an escalation "
            f"index and a debrief.\n\nDatabase: {self.store.display_url}",
        )

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.console is not None and self.console.session.pending_command is not None:
            answer = QtWidgets.QMessageBox.question(
                self,
                "A move is not stored yet",
                "The database could not be reached, so the last move is kept but not stored. "
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
