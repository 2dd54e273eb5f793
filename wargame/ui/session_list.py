"""The list of stored sessions: a Qt table model over `Store.sessions()` and the window showing it.

Until the facilitator console exists this is the window `wargame` opens: every stored session,
and the timeline of the one selected.
"""

from __future__ import annotations

from typing import Any

from wargame.engine.describe import describe
from wargame.errors import WargameError
from wargame.session import SessionController
from wargame.store import SessionInfo, Store
from wargame.ui.qt import ModelIndex as Index
from wargame.ui.qt import (
    QAbstractTableModel,
    QAction,
    QCloseEvent,
    QFont,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSettings,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Created (UTC)", "Deck", "Class", "Facilitator", "Status", "Turn", "Outcome", "Events", "Id")


class SessionTableModel(QAbstractTableModel):
    """Rows of `SessionInfo`, newest first."""

    def __init__(self, sessions: list[SessionInfo] | None = None) -> None:
        super().__init__()
        self._sessions: list[SessionInfo] = sessions or []

    def set_sessions(self, sessions: list[SessionInfo]) -> None:
        self.beginResetModel()
        self._sessions = list(sessions)
        self.endResetModel()

    def session_at(self, row: int) -> SessionInfo:
        return self._sessions[row]

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._sessions)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        info = self._sessions[index.row()]
        values = (
            info.created_at.strftime("%Y-%m-%d %H:%M"),
            info.deck_title,
            info.class_label or "—",
            info.facilitator or "—",
            info.status,
            str(info.current_turn),
            info.outcome or "—",
            str(info.event_count),
            info.id[:12],
        )
        return values[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class SessionListWindow(QMainWindow):
    """Every stored session, and the timeline of the selected one."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle("wargame — sessions")
        self.model = SessionTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.timeline = QPlainTextEdit()
        self.timeline.setReadOnly(True)
        self.timeline.setFont(monospace())
        self.timeline.setPlaceholderText("Select a session to see its timeline.")
        self.empty_label = QLabel(
            "No sessions yet. Play one with:\n"
            "    wargame play --deck baltic_drone_spillover_2026 --script MOVES.yaml"
        )
        self.empty_label.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.timeline)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter)
        self.setCentralWidget(central)
        self._build_menus()
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.statusBar().showMessage(f"Database: {store.display_url}")
        self.resize(1100, 700)
        self._restore_layout()
        self.refresh()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip("Read the list of sessions from the database again")
        self.refresh_action.triggered.connect(self.refresh)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def refresh(self) -> None:
        try:
            sessions = self.store.sessions()
        except WargameError as exc:
            self.statusBar().showMessage(f"Cannot read sessions: {exc}")
            return
        self.model.set_sessions(sessions)
        self.empty_label.setVisible(not sessions)
        self.statusBar().showMessage(f"{len(sessions)} session(s) in {self.store.display_url}")

    def _show_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.timeline.clear()
            return
        info = self.model.session_at(rows[0].row())
        try:
            session = SessionController.open(self.store, info.id)
        except WargameError as exc:
            self.timeline.setPlainText(f"Cannot open session {info.id}:\n{exc}")
            return
        revealed = session.state.revealed_turns
        lines = [
            f"{event.seq:>5}  {describe(session.deck, event, show_moves=event.data.get('turn') in revealed)}"
            for event in session.events
        ]
        self.timeline.setPlainText("\n".join(lines))

    def _restore_layout(self) -> None:
        geometry = QSettings().value("session_list/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("session_list/geometry", self.saveGeometry())
        super().closeEvent(event)


def monospace() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font
