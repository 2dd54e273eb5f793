"""The review window: browse stored sessions, replay one, read each team's decisions, compare
sessions of one deck and export the after-action report.

Review is read-only: it reads sessions with `Store.load` (`wargame.report.load_replay`) and
folds prefixes of the log; it never builds a session controller, so it cannot add events.

Only the Sessions tab is built with the window; the Replay, Decisions and Compare tabs are built
when first shown or needed (an empty page holds their place), so the browser opens sooner.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from wargame.errors import WargameError
from wargame.report import Replay, load_replay
from wargame.store import Store
from wargame.ui.icons import icon
from wargame.ui.qt import QtCore, QtGui, QtWidgets, resize_within_screen
from wargame.ui.review_browser import SessionBrowser
from wargame.ui.review_compare import CompareView
from wargame.ui.review_pdf import write_report
from wargame.ui.review_replay import ReplayView
from wargame.ui.review_teams import TeamDecisionsView

GEOMETRY_KEY = "review/geometry"
SESSIONS_TAB, REPLAY_TAB, TEAMS_TAB, COMPARE_TAB = range(4)
TAB_TITLES = ("Sessions", "Replay", "Decisions by team", "Compare")
View = TypeVar("View", bound=QtWidgets.QWidget)


def report_file_name(class_label: str, session_id: str) -> str:
    """The file name suggested for a session's report: the class label with anything that is not
    a letter, digit, '-' or '.' as '_' (a class "IR 2025/26" made a folder of "IR 2025")."""
    label = re.sub(r"[^\w.-]+", "_", class_label).strip("._")[:60] or "session"
    return f"report-{label}-{session_id[:8]}.pdf"


class ReviewWindow(QtWidgets.QMainWindow):
    """Sessions, Replay, Decisions and Compare tabs over one store."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.replay: Replay | None = None
        self.setWindowTitle("wargame — review")
        self.browser = SessionBrowser(store)
        self._replay_view: ReplayView | None = None
        self._teams_view: TeamDecisionsView | None = None
        self._compare_view: CompareView | None = None
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.browser, TAB_TITLES[SESSIONS_TAB])
        for title in TAB_TITLES[REPLAY_TAB:]:
            self.tabs.addTab(QtWidgets.QWidget(), title)  # a place holder until the tab is needed
        self.tabs.currentChanged.connect(self._build_tab)
        self.setCentralWidget(self.tabs)
        self.browser.open_requested.connect(self.open_session)
        self.browser.selection_changed.connect(self._update_actions)
        self._build_actions()
        resize_within_screen(self, 1300, 820)
        geometry = QtCore.QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.refresh()

    # --- tabs built when first needed -----------------------------------------------------------
    @property
    def replay_view(self) -> ReplayView:
        if self._replay_view is None:
            self._replay_view = self._place(REPLAY_TAB, ReplayView())
            if self.replay is not None:
                self._replay_view.set_replay(self.replay)
        return self._replay_view

    @property
    def teams_view(self) -> TeamDecisionsView:
        if self._teams_view is None:
            self._teams_view = self._place(TEAMS_TAB, TeamDecisionsView())
            if self.replay is not None:
                self._teams_view.set_replay(self.replay)
        return self._teams_view

    @property
    def compare_view(self) -> CompareView:
        if self._compare_view is None:
            self._compare_view = self._place(COMPARE_TAB, CompareView())
        return self._compare_view

    def tab_view(self, index: int) -> QtWidgets.QWidget:
        """The view of the tab at `index`, built now if it was not yet."""
        views: tuple[Callable[[], QtWidgets.QWidget], ...] = (
            lambda: self.browser,
            lambda: self.replay_view,
            lambda: self.teams_view,
            lambda: self.compare_view,
        )
        return views[index]()

    def _build_tab(self, index: int) -> None:
        if index >= 0:
            self.tab_view(index)

    def _place(self, index: int, view: View) -> View:
        """Put `view` in the tab at `index` instead of its place holder, keeping the current tab."""
        holder, current = self.tabs.widget(index), self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # the tab shown does not change: no currentChanged for this
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, TAB_TITLES[index])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        assert holder is not None  # `index` is one of the tabs built in __init__
        holder.deleteLater()
        return view

    def _build_actions(self) -> None:
        key = QtGui.QKeySequence
        self.open_action = self._action(
            "&Replay the selected session", key("Return"), self._open_selected, "resume"
        )
        self.compare_action = self._action(
            "&Compare selected sessions", key("Ctrl+K"), self._compare_selected, ""
        )
        self.export_action = self._action("&Export report…", key("Ctrl+E"), self._ask_export, "")
        self.export_action.setToolTip("Save the after-action report of the open session as HTML or PDF")
        self.pseudonymise_action = QtGui.QAction("&Pseudonymise players", self)
        self.pseudonymise_action.setCheckable(True)
        self.pseudonymise_action.setToolTip(
            "Show and export players as Player 1, Player 2, … (students' privacy)"
        )
        self.pseudonymise_action.toggled.connect(self._reload)
        self.refresh_action = self._action("Re&fresh", key(key.StandardKey.Refresh), self.refresh, "")
        close = self._action("&Close", key(key.StandardKey.Close), self.close, "")
        menu = self.menuBar().addMenu("&Review")
        for action in (self.open_action, self.compare_action, self.export_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.pseudonymise_action)
        menu.addAction(self.refresh_action)
        menu.addSeparator()
        menu.addAction(close)
        toolbar = self.addToolBar("Review")
        toolbar.setObjectName("review_toolbar")
        toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.open_action, self.compare_action, self.export_action, self.pseudonymise_action):
            toolbar.addAction(action)
        self.open_action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.browser.addAction(self.open_action)
        self._update_actions()

    def _action(self, text: str, shortcut: QtGui.QKeySequence, slot: object, icon_name: str) -> QtGui.QAction:
        action = QtGui.QAction(icon(icon_name) if icon_name else QtGui.QIcon(), text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _update_actions(self) -> None:
        selected = self.browser.selected_ids()
        self.open_action.setEnabled(len(selected) == 1)
        self.compare_action.setEnabled(len(selected) >= 2)
        self.export_action.setEnabled(self.replay is not None)

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.browser.refresh()
        except WargameError as exc:
            self.statusBar().showMessage(f"Cannot read the sessions: {exc}")
            return
        self.statusBar().showMessage(
            f"{self.browser.model.rowCount()} session(s) in {self.store.display_url}"
        )
        self._update_actions()

    @property
    def pseudonymise(self) -> bool:
        return self.pseudonymise_action.isChecked()

    def open_session(self, session_id: str) -> Replay | None:
        """Replay a stored session (read-only) and show the Replay tab."""
        try:
            replay = load_replay(self.store, session_id, pseudonymise=self.pseudonymise)
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot open the session", str(exc))
            return None
        self.replay = replay
        for view in (self._replay_view, self._teams_view):  # a tab built later gets it when built
            if view is not None:
                view.set_replay(replay)
        self.tabs.setCurrentWidget(self.replay_view)
        self.setWindowTitle(
            f"wargame — review — {replay.deck.title} — {replay.info.class_label or 'session'}"
        )
        if replay.integrity:
            self.statusBar().showMessage(f"Warning: the stored log does not verify: {replay.integrity}")
        self._update_actions()
        return replay

    def _reload(self) -> None:
        if self.replay is not None:
            step = self.replay_view.slider.value()
            tab = self.tabs.currentIndex()
            self.open_session(self.replay.info.id)
            self.replay_view.slider.setValue(step)
            self.tabs.setCurrentIndex(tab)

    def _open_selected(self) -> None:
        selected = self.browser.selected_ids()
        if len(selected) == 1:
            self.open_session(selected[0])

    def compare_sessions(self, session_ids: list[str]) -> bool:
        try:
            replays = [  # compared, not reported on: no chain check per session
                load_replay(self.store, sid, pseudonymise=self.pseudonymise, verify=False)
                for sid in session_ids
            ]
            self.compare_view.set_replays(replays)
        except WargameError as exc:
            QtWidgets.QMessageBox.information(self, "Cannot compare these sessions", str(exc))
            return False
        self.tabs.setCurrentWidget(self.compare_view)
        return True

    def _compare_selected(self) -> None:
        self.compare_sessions(self.browser.selected_ids())

    # --- reports --------------------------------------------------------------------------------
    def export_report(self, path: str | os.PathLike[str], fmt: str | None = None) -> int:
        """Write the open session's report to `path` ("html" or "pdf", else from the suffix); pages."""
        if self.replay is None:
            raise WargameError("open a session first")
        chosen = fmt or ("pdf" if Path(path).suffix.lower() == ".pdf" else "html")
        self.statusBar().showMessage(f"Writing the report to {path}…")
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)  # a second or so
        try:
            pages = write_report(self.replay, path, chosen)
        except WargameError:
            self.statusBar().showMessage(f"The report was not written to {path}")
            raise
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        pages_text = f" ({pages} page{'' if pages == 1 else 's'})" if chosen == "pdf" else ""
        self.statusBar().showMessage(f"Report written to {path}{pages_text}")
        return pages

    def _ask_export(self) -> None:
        if self.replay is None:
            return
        name = report_file_name(self.replay.info.class_label, self.replay.info.id)
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export the after-action report", name, "PDF (*.pdf);;HTML, one file (*.html)"
        )
        if not path:
            return
        fmt = "html" if chosen.startswith("HTML") or path.lower().endswith(".html") else "pdf"
        try:
            self.export_report(path, fmt)
        except WargameError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot write the report", str(exc))

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        QtCore.QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
