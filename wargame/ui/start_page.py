"""The start page: new session, resume a session (unfinished ones first), review sessions.

The main window paints it before the database is open: it then says so and its buttons are
disabled, so nothing acts on a store that is not open yet. Once the store is open it lists the
sessions, or says why the database could not be opened (with a button to try again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wargame.ui.icons import icon
from wargame.ui.qt import QtCore, QtWidgets, plain_tip

if TYPE_CHECKING:
    from wargame.ui.review_browser import SessionRow

LOADING_TEXT = "Opening the database…"
FAILED_TEXT = "The database could not be opened."


class StartPage(QtWidgets.QWidget):
    """New session, resume a session (unfinished ones first), review sessions.

    Signals: `new_requested`, `resume_requested(session_id)`, `review_requested`, and
    `retry_requested` (try opening the database again, after it failed) and
    `set_aside_requested` (keep a damaged database file aside and start a new one).
    """

    new_requested = QtCore.Signal()
    resume_requested = QtCore.Signal(str)
    review_requested = QtCore.Signal()
    retry_requested = QtCore.Signal()
    set_aside_requested = QtCore.Signal()

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
        self.message = QtWidgets.QLabel()
        self.message.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # errors quote paths and URLs
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.retry_button = QtWidgets.QPushButton("Try again")
        self.retry_button.setToolTip("Open the database again (after starting its server, say)")
        self.retry_button.clicked.connect(self.retry_requested.emit)
        self.set_aside_button = QtWidgets.QPushButton("Start a new database…")
        self.set_aside_button.setToolTip(
            "Keep the damaged file under another name and start an empty database"
        )
        self.set_aside_button.clicked.connect(self.set_aside_requested.emit)
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
        box_layout.addWidget(self.message)
        box_layout.addLayout(_left_aligned(self.retry_button, self.set_aside_button))
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
        layout.addLayout(_left_aligned(self.new_button))
        layout.addSpacing(12)
        layout.addWidget(box, 1)
        self._loaded = False
        self.show_loading()

    @property
    def loaded(self) -> bool:
        """Whether the page lists the sessions of an open store (its buttons then work)."""
        return self._loaded

    def show_loading(self, text: str = LOADING_TEXT) -> None:
        """The database is being opened: say so, and disable every button until it is."""
        self._enable(False)
        self._set_placeholder(text)
        self.message.hide()
        self.retry_button.hide()
        self.set_aside_button.hide()

    def show_failure(self, message: str, damaged: bool = False) -> None:
        """The database could not be opened: say why, offer to try again (and, for a `damaged`
        file, to start a new one beside it), keep the rest disabled."""
        self._enable(False)
        self._set_placeholder("No sessions: the database is not open.")
        advice = (
            "\nThe file is damaged. “Start a new database…” keeps it under another name (nothing is "
            "deleted) and opens an empty one in its place, so the class can go ahead."
            if damaged
            else ""
        )
        self.message.setText(f"{FAILED_TEXT}\n{message[:1].upper()}{message[1:]}{advice}")
        self.message.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.show()
        self.retry_button.show()
        self.set_aside_button.setVisible(damaged)

    def show_unreadable(self, message: str) -> None:
        """The database is open but its sessions could not be listed: a new session may still work."""
        self.show_sessions([])
        self._set_placeholder("The sessions could not be read.")
        self.message.setText(f"Cannot read the sessions: {message}")
        self.message.show()

    def show_sessions(self, sessions: list[SessionRow], note: str = "") -> None:
        """List `sessions`, with `note` above them if there is one (sessions left out, and why)."""
        self.message.setText(note)
        self.message.setVisible(bool(note))
        self.retry_button.hide()
        self.set_aside_button.hide()
        self._enable(True)
        self.sessions.clear()
        if not sessions:
            self._set_placeholder("No sessions yet: start one with “New session…”.")
            self.resume_button.setEnabled(False)
            return
        ordered = sorted(
            sessions, key=lambda row: (row.info.status != "running", -row.info.updated_at.timestamp())
        )
        for row in ordered:
            info = row.info
            if info.status != "running":
                state = f"ended: {row.outcome_title}"
            else:
                state = f"turn {info.current_turn}, running" if info.current_turn else "not started yet"
            # the deck's title last: it is the longest, and the same for most sessions
            when = info.updated_at.strftime("%Y-%m-%d %H:%M")
            label = f"{when}  ·  {info.class_label or 'no class label'}  ·  {state}  ·  {info.deck_title}"
            item = QtWidgets.QListWidgetItem(label)
            item.setToolTip(plain_tip(label))
            item.setData(QtCore.Qt.ItemDataRole.UserRole, info.id)
            self.sessions.addItem(item)
        self.sessions.setCurrentRow(0)

    def _enable(self, enabled: bool) -> None:
        self._loaded = enabled
        for widget in (self.new_button, self.resume_button, self.review_button, self.sessions):
            widget.setEnabled(enabled)

    def _set_placeholder(self, text: str) -> None:
        """A line of text in the list that cannot be selected."""
        self.sessions.clear()
        item = QtWidgets.QListWidgetItem(text)
        if self.sessions.isEnabled():
            # A disabled list selects nothing anyway. Not touching Qt's namespace of enums while
            # loading spares the first paint ~11 ms: PySide6 builds all ~90 of them at once.
            item.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)
        self.sessions.addItem(item)

    def _resume_item(self, item: QtWidgets.QListWidgetItem | None) -> None:
        if item is not None and self.loaded:
            session_id = item.data(QtCore.Qt.ItemDataRole.UserRole)
            if session_id:
                self.resume_requested.emit(str(session_id))


def _left_aligned(*widgets: QtWidgets.QWidget) -> QtWidgets.QHBoxLayout:
    """`widgets` at their natural width on the left of a row (a stretch fills the rest of the row)."""
    row = QtWidgets.QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
